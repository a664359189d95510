package dev.aiaas.worker.api;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TrainingOutcomeTest {

  /** Verifies that an outcome cannot claim success without naming its model, nor carry a model it did not make. */
  @Test
  void modelIfAndOnlyIfSucceeded() {
    UUID job = UUID.randomUUID();
    assertThrows(IllegalArgumentException.class,
        () -> new TrainingOutcome(job, 1, JobState.SUCCEEDED, Optional.empty(), 1.0, "cpu()", Optional.empty()));
    TrainingOutcome succeeded = (TrainingOutcome) EventBusCodecsTest.SAMPLES.get(5);
    assertThrows(IllegalArgumentException.class,
        () -> new TrainingOutcome(job, 1, JobState.FAILED, Optional.of("x"), 1.0, "cpu()", succeeded.model()));
  }
}

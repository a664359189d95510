package dev.aiaas.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.aiaas.gateway.metering.Metric;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The usage event ids of job runs. */
class JobOutcomesTest {

  private static final UUID JOB = UUID.fromString("6f1c1a52-2f43-4d1e-9a55-0d9f3c8b7e21");

  /** Verifies that every delivery of one attempt's outcome gets the same event id, so its usage counts once. */
  @Test
  void sameAttemptSameId() {
    assertEquals(JobOutcomes.eventId("training", JOB, 1, Metric.TRAINING_SECONDS),
        JobOutcomes.eventId("training", UUID.fromString(JOB.toString()), 1, Metric.TRAINING_SECONDS));
  }

  /** Verifies that another attempt, job kind, metric or job gets another event id. */
  @Test
  void otherRunsOtherIds() {
    UUID id = JobOutcomes.eventId("training", JOB, 1, Metric.TRAINING_SECONDS);
    assertNotEquals(id, JobOutcomes.eventId("training", JOB, 2, Metric.TRAINING_SECONDS));
    assertNotEquals(id, JobOutcomes.eventId("batch_prediction", JOB, 1, Metric.TRAINING_SECONDS));
    assertNotEquals(id, JobOutcomes.eventId("training", JOB, 1, Metric.PREDICTIONS));
    assertNotEquals(id, JobOutcomes.eventId("training", UUID.randomUUID(), 1, Metric.TRAINING_SECONDS));
    assertNotEquals(JOB, id, "not the job id itself, which other events could use");
  }
}

package dev.aiaas.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.worker.training.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadInstancesTest {

  /** Verifies that the refused instances survive the failure message unchanged, in order, whatever their text. */
  @Test
  void failureMessageRoundTrips() {
    BadInstances bad = new BadInstances(List.of(new FieldError("instances[0].age", "must be a number, got \"x\""),
        new FieldError("instances[3]", "has 2 values; the model takes 3 (ä, b, c)")));
    assertEquals(bad, BadInstances.fromFailureMessage(bad.toFailureMessage()));
  }
}

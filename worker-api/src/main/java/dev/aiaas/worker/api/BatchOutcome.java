package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Sent to {@link ServingAddresses#BATCH_RESULT} until a gateway replies {@link Ack}: how an attempt
 * ended. The result itself is already in PostgreSQL ({@code batch_prediction_results}).
 *
 * @param rows the rows predicted (metered as predictions if it succeeded)
 * @param resultBytes the size of the stored CSV result
 */
public record BatchOutcome(UUID jobId, int attempt, JobState state, Optional<String> error, long rows, long resultBytes)
    implements JobAttempt {

  public BatchOutcome {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
  }

  public static final Wire<BatchOutcome> WIRE = new Wire<>(BatchOutcome.class,
      (out, m) -> out.uuid(m.jobId()).int32(m.attempt()).int32(m.state().ordinal()).string(m.error().orElse(null))
          .int64(m.rows()).int64(m.resultBytes()),
      in -> new BatchOutcome(in.uuid(), in.int32(), JobState.values()[in.int32()], Optional.ofNullable(in.string()),
          in.int64(), in.int64()));
}

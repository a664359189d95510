package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Sent to {@link TrainingAddresses#RESULT} until a gateway replies {@link Ack}: how an attempt
 * ended. Training time is metered whatever the state (the device was busy).
 *
 * @param error why it failed (absent unless {@link JobState#FAILED})
 * @param model what it made (present only if {@link JobState#SUCCEEDED})
 * @param device the DJL device it ran on
 */
public record TrainingOutcome(UUID jobId, int attempt, JobState state, Optional<String> error, double trainingSeconds,
    String device, Optional<TrainedModel> model) implements JobAttempt {

  public TrainingOutcome {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(model, "model");
  }

  public static final Wire<TrainingOutcome> WIRE = new Wire<>(TrainingOutcome.class,
      (out, m) -> {
        out.uuid(m.jobId()).int32(m.attempt()).int32(m.state().ordinal()).string(m.error().orElse(null))
            .float64(m.trainingSeconds()).string(m.device()).bool(m.model().isPresent());
        m.model().ifPresent(model -> TrainedModel.WIRE.write().accept(out, model));
      },
      in -> new TrainingOutcome(in.uuid(), in.int32(), JobState.values()[in.int32()], Optional.ofNullable(in.string()),
          in.float64(), in.string(), in.bool() ? Optional.of(TrainedModel.WIRE.read().apply(in)) : Optional.empty()));
}

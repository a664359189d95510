package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.UUID;

/** Published to {@link TrainingAddresses#PROGRESS} after each epoch of a job's attempt. */
public record TrainingProgress(UUID jobId, int attempt, EpochProgress report) implements JobAttempt {

  public static final Wire<TrainingProgress> WIRE = new Wire<>(TrainingProgress.class,
      (out, m) -> {
        out.uuid(m.jobId()).int32(m.attempt());
        EpochProgress.WIRE.write().accept(out, m.report());
      },
      in -> new TrainingProgress(in.uuid(), in.int32(), EpochProgress.WIRE.read().apply(in)));
}

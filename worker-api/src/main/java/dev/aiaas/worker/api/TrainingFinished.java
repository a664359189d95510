package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.UUID;

/** Published to {@link TrainingAddresses#FINISHED} by the gateway that recorded a job's outcome; event streams end on it. */
public record TrainingFinished(UUID jobId, JobState state) {

  public static final Wire<TrainingFinished> WIRE = new Wire<>(TrainingFinished.class,
      (out, m) -> out.uuid(m.jobId()).int32(m.state().ordinal()),
      in -> new TrainingFinished(in.uuid(), JobState.values()[in.int32()]));
}

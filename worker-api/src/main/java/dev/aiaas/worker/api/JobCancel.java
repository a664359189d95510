package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.UUID;

/** Published by a gateway to {@link TrainingAddresses#CANCEL} or {@link ServingAddresses#BATCH_CANCEL}: the worker running the job stops. */
public record JobCancel(UUID jobId) {

  public static final Wire<JobCancel> WIRE =
      new Wire<>(JobCancel.class, (out, m) -> out.uuid(m.jobId()), in -> new JobCancel(in.uuid()));
}

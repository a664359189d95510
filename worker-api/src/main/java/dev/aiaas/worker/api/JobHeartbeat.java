package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.UUID;

/** Published every few seconds while a training job runs; renews its lease. */
public record JobHeartbeat(UUID jobId, int attempt, String workerId) implements JobAttempt {

  public static final Wire<JobHeartbeat> WIRE = new Wire<>(JobHeartbeat.class,
      (out, m) -> out.uuid(m.jobId()).int32(m.attempt()).string(m.workerId()),
      in -> new JobHeartbeat(in.uuid(), in.int32(), in.string()));
}

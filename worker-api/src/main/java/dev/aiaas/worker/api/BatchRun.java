package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.UUID;

/** Sent to {@link ServingAddresses#BATCH_RUN}: predict every row of the dataset with the model version {@code modelId}. */
public record BatchRun(UUID jobId, int attempt, UUID tenantId, UUID datasetId, UUID modelId) implements JobAttempt {

  public static final Wire<BatchRun> WIRE = new Wire<>(BatchRun.class,
      (out, m) -> out.uuid(m.jobId()).int32(m.attempt()).uuid(m.tenantId()).uuid(m.datasetId()).uuid(m.modelId()),
      in -> new BatchRun(in.uuid(), in.int32(), in.uuid(), in.uuid(), in.uuid()));
}

package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Sent to {@link TrainingAddresses#RUN}: train {@code spec} (the job's stored spec document, as
 * {@code TrainingSpec.parse} reads it) on the tenant's dataset, which the worker reads from
 * PostgreSQL.
 */
public record TrainingRun(UUID jobId, int attempt, UUID tenantId, UUID datasetId, JsonObject spec) implements JobAttempt {

  public static final Wire<TrainingRun> WIRE = new Wire<>(TrainingRun.class,
      (out, m) -> out.uuid(m.jobId()).int32(m.attempt()).uuid(m.tenantId()).uuid(m.datasetId()).json(m.spec()),
      in -> new TrainingRun(in.uuid(), in.int32(), in.uuid(), in.uuid(), in.jsonObject()));
}

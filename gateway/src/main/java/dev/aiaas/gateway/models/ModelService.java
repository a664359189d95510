package dev.aiaas.gateway.models;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.worker.api.ServingAddresses;
import dev.aiaas.worker.api.ServingSync;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * Deletes model versions and whole models: the artifacts go at once (the workers' cached copies
 * right after) and the tenant's storage is sampled again, so what the tenant no longer stores
 * stops being billed from then.
 */
public final class ModelService {

  private final Vertx vertx;
  private final Pool pool;
  private final ModelStore models;
  private final AuditLog audit;
  private final StorageMeter storage;

  public ModelService(Vertx vertx, Pool pool, ModelStore models, AuditLog audit, StorageMeter storage) {
    this.vertx = vertx;
    this.pool = pool;
    this.models = models;
    this.audit = audit;
    this.storage = storage;
  }

  /**
   * Deletes one version, or every version when {@code version} is empty; 404 if there is none,
   * 409 while deployed or used by a queued or running batch prediction. Audited in the same
   * transaction.
   */
  public Future<Void> delete(UUID tenantId, String name, Optional<Integer> version, AuditEvent event) {
    return pool.withTransaction(tx -> tx
            // Serializes with deploys (which lock the tenant row FOR UPDATE), so a deploy of a version
            // being deleted waits and then finds it gone, instead of failing on the foreign key.
            .preparedQuery("SELECT 1 FROM tenants WHERE id = $1 FOR NO KEY UPDATE").execute(Tuple.of(tenantId))
            .compose(locked -> models.delete(tx, tenantId, name, version))
            .compose(deleted -> audit.record(tx, event.target("model:" + name)
                .detail("versions", new JsonArray(deleted.versions()))
                .detail("artifact_bytes", deleted.artifactBytes()))))
        .compose(v -> {
          // Workers drop their cached copies of versions that are gone.
          vertx.eventBus().publish(ServingAddresses.SYNC, ServingSync.INSTANCE);
          return storage.sample(tenantId);
        });
  }
}

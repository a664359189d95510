package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** The {@code deployments} table: which version each model name of a tenant serves. */
public final class DeploymentStore {

  private final Pool pool;

  public DeploymentStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Points {@code name} at {@code version}, remembering the version it served before. A tenant at
   * its plan's {@code deployed_models} limit may redeploy a deployed name but not deploy a new
   * one (409 {@code deployment-limit}). Fails with 404 for an unknown model or version.
   */
  public Future<Deployment> deploy(UUID tenantId, String name, int version, Deployment.Batching batching, OptionalLong limit) {
    return pool.withTransaction(tx -> tx
        // Serializes deploys of one tenant, so two concurrent deploys cannot both pass the limit.
        .preparedQuery("SELECT id FROM tenants WHERE id = $1 FOR UPDATE").execute(Tuple.of(tenantId))
        .compose(locked -> tx.preparedQuery("SELECT id, version FROM models WHERE tenant_id = $1 AND name = $2")
            .execute(Tuple.of(tenantId, name)))
        .compose(versions -> {
          if (versions.size() == 0) {
            return Future.failedFuture(ApiException.notFound("no model named '" + name + "'"));
          }
          Optional<UUID> modelId = find(versions, version);
          if (modelId.isEmpty()) {
            return Future.failedFuture(ApiException.notFound("model '" + name + "' has no version " + version));
          }
          return checkLimit(tx, tenantId, name, limit).compose(ok -> tx.preparedQuery("""
                  INSERT INTO deployments (tenant_id, model_name, model_id, version, max_batch_size, max_batch_delay_ms,
                                           max_queue, timeout_ms)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                  ON CONFLICT (tenant_id, model_name) DO UPDATE SET
                      previous_model_id = CASE WHEN deployments.model_id = EXCLUDED.model_id
                                               THEN deployments.previous_model_id ELSE deployments.model_id END,
                      model_id = EXCLUDED.model_id, version = EXCLUDED.version,
                      max_batch_size = EXCLUDED.max_batch_size, max_batch_delay_ms = EXCLUDED.max_batch_delay_ms,
                      max_queue = EXCLUDED.max_queue, timeout_ms = EXCLUDED.timeout_ms, deployed_at = now()""")
              .execute(Tuple.of(tenantId, name, modelId.get(), version, batching.maxBatchSize(), batching.maxBatchDelayMs(),
                  batching.maxQueue(), batching.timeoutMs())))
              .compose(upserted -> find(tx, tenantId, name)).map(Optional::orElseThrow);
        }));
  }

  private static Optional<UUID> find(RowSet<Row> versions, int version) {
    for (Row r : versions) {
      if (r.getInteger("version") == version) {
        return Optional.of(r.getUUID("id"));
      }
    }
    return Optional.empty();
  }

  private static Future<Void> checkLimit(SqlClient tx, UUID tenantId, String name, OptionalLong limit) {
    if (limit.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("SELECT count(*) FILTER (WHERE model_name <> $2) AS others FROM deployments WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId, name))
        .compose(rows -> {
          long others = rows.iterator().next().getLong("others");
          return others >= limit.getAsLong()
              ? Future.failedFuture(ApiException.conflict("deployment-limit", "the plan allows " + limit.getAsLong()
                  + " deployed models and " + others + " are deployed; undeploy one or change plan")
                  .withExtension("limit", limit.getAsLong()).withExtension("used", others))
              : Future.succeededFuture();
        });
  }

  /** Undeploys; false if the name was not deployed. */
  public Future<Boolean> undeploy(UUID tenantId, String name) {
    return pool.preparedQuery("DELETE FROM deployments WHERE tenant_id = $1 AND model_name = $2").execute(Tuple.of(tenantId, name))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<Deployment>> find(UUID tenantId, String name) {
    return find(pool, tenantId, name);
  }

  private static Future<Optional<Deployment>> find(SqlClient client, UUID tenantId, String name) {
    return client.preparedQuery("SELECT " + Deployment.COLUMNS + " FROM deployments d JOIN models m ON m.id = d.model_id"
            + " WHERE d.tenant_id = $1 AND d.model_name = $2")
        .execute(Tuple.of(tenantId, name))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Deployment.from(rows.iterator().next())));
  }

  /** The tenant's deployments. */
  public Future<List<Deployment>> list(UUID tenantId) {
    return pool.preparedQuery("SELECT " + Deployment.COLUMNS + " FROM deployments d JOIN models m ON m.id = d.model_id"
            + " WHERE d.tenant_id = $1 ORDER BY d.model_name")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<Deployment> all = new ArrayList<>();
          rows.forEach(r -> all.add(Deployment.from(r)));
          return all;
        });
  }

  /** Fails with 409 {@code model-not-deployed} if the tenant has a model of that name, else with 404. */
  public <T> Future<T> notServing(UUID tenantId, String name) {
    return modelExists(tenantId, name).compose(exists -> Future.failedFuture(exists
        ? PredictionClient.notDeployed(name) : ApiException.notFound("no model named '" + name + "'")));
  }

  /** Whether the tenant has a model of that name (to tell "unknown" from "not deployed"). */
  public Future<Boolean> modelExists(UUID tenantId, String name) {
    return pool.preparedQuery("SELECT 1 FROM models WHERE tenant_id = $1 AND name = $2 LIMIT 1").execute(Tuple.of(tenantId, name))
        .map(rows -> rows.size() > 0);
  }
}

package dev.aiaas.gateway.models;

import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.DataKeys;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The model registry: versions per tenant and name, with metrics and the DJL artifact in chunks. */
public final class ModelStore {

  private final Pool pool;
  private final DataKeys keys;

  public ModelStore(Pool pool, DataKeys keys) {
    this.pool = pool;
    this.keys = keys;
  }

  /**
   * What a successful job registers. {@code artifactId} names the parameters the worker stored in
   * {@code training_artifacts} ({@code artifactBytes} long, checked by the caller).
   */
  public record NewVersion(UUID tenantId, String name, UUID jobId, String task, String architecture, JsonObject metrics,
      JsonObject hyperparameters, JsonObject preprocessing, JsonArray labels, JsonObject modelSpec, UUID artifactId,
      long artifactBytes) {}

  /**
   * Registers the model's next version and adopts its training artifact: the chunks move from
   * {@code training_artifacts} to the version, inside PostgreSQL; in the caller's transaction.
   * Numbers come from the name's counter, so the number of a deleted version is never issued again.
   */
  public Future<Integer> addVersion(SqlClient tx, NewVersion v) {
    UUID id = UUID.randomUUID();
    return tx.preparedQuery("""
            WITH issued AS (
              INSERT INTO model_version_counters AS c (tenant_id, name, last_version) VALUES ($2, $3, 1)
              ON CONFLICT (tenant_id, name) DO UPDATE SET last_version = c.last_version + 1
              RETURNING last_version)
            INSERT INTO models (id, tenant_id, name, version, job_id, task, architecture, metrics, hyperparameters, preprocessing,
                                labels, model_spec, artifact_bytes)
            SELECT $1, $2, $3, last_version, $4, $5, $6, $7, $8, $9, $10, $11, $12
            FROM issued
            RETURNING version""")
        .execute(Tuple.from(new Object[] {id, v.tenantId(), v.name(), v.jobId(), v.task(), v.architecture(), v.metrics(),
            v.hyperparameters(), v.preprocessing(), v.labels(), v.modelSpec(), v.artifactBytes()}))
        .compose(rows -> tx.preparedQuery("""
                WITH moved AS (
                  INSERT INTO model_artifact_chunks (model_id, seq, nonce, data)
                  SELECT $1, seq, nonce, data FROM training_artifact_chunks WHERE artifact_id = $2)
                UPDATE models SET artifact_sealed_as = $2 WHERE id = $1""")
            .execute(Tuple.of(id, v.artifactId()))
            .compose(moved -> tx.preparedQuery("DELETE FROM training_artifacts WHERE id = $1").execute(Tuple.of(v.artifactId())))
            .map(rows.iterator().next().getInteger(0)));
  }

  /** What a deletion removed: the versions and the artifact bytes they freed. */
  public record Deleted(List<Integer> versions, long artifactBytes) {}

  /**
   * Deletes one version ({@code version} present) or every version of a model, with their
   * artifacts, in {@code tx}. Fails with 404 if there is no such model or version, and with 409
   * while a version to delete is deployed (or the model is, for a whole model) or a queued or
   * running batch prediction uses one. Locks the versions first, so a batch prediction submitted
   * meanwhile either is seen here or finds the version gone.
   */
  public Future<Deleted> delete(SqlConnection tx, UUID tenantId, String name, Optional<Integer> version) {
    String what = version.map(v -> "version " + v + " of model '" + name + "'").orElse("model '" + name + "'");
    return tx.preparedQuery("SELECT id, version, artifact_bytes FROM models WHERE tenant_id = $1 AND name = $2"
            + " AND ($3::int IS NULL OR version = $3) ORDER BY version FOR UPDATE")
        .execute(Tuple.of(tenantId, name, version.orElse(null)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiException.notFound(version.isPresent()
                ? "model '" + name + "' has no version " + version.get() : "no model named '" + name + "'"));
          }
          List<UUID> ids = new ArrayList<>();
          List<Integer> versions = new ArrayList<>();
          long bytes = 0;
          for (Row r : rows) {
            ids.add(r.getUUID("id"));
            versions.add(r.getInteger("version"));
            bytes += r.getLong("artifact_bytes");
          }
          Deleted deleted = new Deleted(versions, bytes);
          UUID[] idArray = ids.toArray(UUID[]::new);
          return tx.preparedQuery("""
                  SELECT (SELECT version FROM deployments WHERE tenant_id = $1 AND model_name = $2
                            AND ($3::int IS NULL OR model_id = ANY($4))) AS deployed,
                         (SELECT count(*) FROM batch_prediction_jobs WHERE tenant_id = $1 AND model_id = ANY($4)
                            AND state IN ('queued', 'running')) AS batch_jobs""")
              .execute(Tuple.of(tenantId, name, version.orElse(null), idArray))
              .compose(uses -> {
                Row use = uses.iterator().next();
                if (use.getInteger("deployed") != null) {
                  return Future.failedFuture(ApiException.conflict("model-deployed", what + " cannot be deleted while version "
                      + use.getInteger("deployed") + " is deployed; undeploy it first"));
                }
                if (use.getLong("batch_jobs") > 0) {
                  return Future.failedFuture(ApiException.conflict("model-in-use", what + " cannot be deleted while "
                      + use.getLong("batch_jobs") + " batch prediction(s) using it are queued or running; cancel them or wait"));
                }
                // The artifact's chunks go with their version (ON DELETE CASCADE).
                return tx.preparedQuery("DELETE FROM models WHERE tenant_id = $1 AND id = ANY($2)").execute(Tuple.tuple().addValue(tenantId).addValue(idArray))
                    .map(deleted);
              });
        });
  }

  /** A version as an export archive describes it; the parameters are read chunk by chunk. */
  public record StoredVersion(UUID id, String name, int version, String task, String architecture, JsonObject metrics,
      JsonObject hyperparameters, JsonObject preprocessing, JsonArray labels, JsonObject modelSpec, long artifactBytes,
      String createdAt) {}

  /** The tenant's version {@code version} of model {@code name}, empty if it has none. */
  public Future<Optional<StoredVersion>> version(UUID tenantId, String name, int version) {
    return pool.preparedQuery("""
            SELECT id, task, architecture, metrics, hyperparameters, preprocessing, labels, model_spec, artifact_bytes, created_at
            FROM models WHERE tenant_id = $1 AND name = $2 AND version = $3""")
        .execute(Tuple.of(tenantId, name, version))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()).map(r -> new StoredVersion(
            r.getUUID("id"), name, version, r.getString("task"), r.getString("architecture"), r.getJsonObject("metrics"),
            r.getJsonObject("hyperparameters"), r.getJsonObject("preprocessing"), r.getJsonArray("labels"),
            r.getJsonObject("model_spec"), r.getLong("artifact_bytes"), r.getOffsetDateTime("created_at").toInstant().toString())));
  }

  /** Chunk {@code seq} of a version's parameters, opened; empty past the last one. */
  public Future<Optional<Buffer>> artifactChunk(UUID modelId, int seq) {
    return artifactChunk(pool, keys, modelId, seq);
  }

  /** Chunk {@code seq} of a version's parameters, opened; empty past the last one. */
  public static Future<Optional<Buffer>> artifactChunk(Pool pool, DataKeys keys, UUID modelId, int seq) {
    return pool.preparedQuery("""
            SELECT c.nonce, c.data, m.tenant_id, coalesce(m.artifact_sealed_as, m.id) AS sealed_as,
                   EXISTS (SELECT 1 FROM model_artifact_chunks n WHERE n.model_id = c.model_id AND n.seq = c.seq + 1) AS more
            FROM model_artifact_chunks c JOIN models m ON m.id = c.model_id WHERE c.model_id = $1 AND c.seq = $2""")
        .execute(Tuple.of(modelId, seq))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.empty())
            : keys.openRow(rows, ChunkAad.MODEL_ARTIFACT, rows.iterator().next().getUUID("tenant_id"),
                rows.iterator().next().getUUID("sealed_as"), seq));
  }

  /** The tenant's models, each with its versions (newest first). */
  public Future<List<JsonObject>> list(UUID tenantId) {
    return versions(tenantId, Optional.empty()).map(byName -> new ArrayList<>(byName.values()));
  }

  public Future<Optional<JsonObject>> byName(UUID tenantId, String name) {
    return versions(tenantId, Optional.of(name)).map(byName -> Optional.ofNullable(byName.get(name)));
  }

  private Future<Map<String, JsonObject>> versions(UUID tenantId, Optional<String> name) {
    return pool.preparedQuery("SELECT m.name, m.version, m.job_id, m.task, m.architecture, m.metrics, m.hyperparameters, m.labels,"
            + " m.artifact_bytes, m.tuning, m.created_at, d.version AS deployed_version, d.deployed_at"
            + " FROM models m LEFT JOIN deployments d ON d.tenant_id = m.tenant_id AND d.model_name = m.name"
            + " WHERE m.tenant_id = $1 AND ($2::text IS NULL OR m.name = $2) ORDER BY m.name, m.version DESC")
        .execute(Tuple.of(tenantId, name.orElse(null)))
        .map(rows -> {
          Map<String, JsonObject> byName = new LinkedHashMap<>();
          for (Row r : rows) {
            JsonObject model = byName.computeIfAbsent(r.getString("name"), n -> new JsonObject().put("name", n)
                .put("task", r.getString("task")).put("latest_version", r.getInteger("version"))
                .put("deployment", r.getInteger("deployed_version") == null ? null : new JsonObject()
                    .put("version", r.getInteger("deployed_version"))
                    .put("deployed_at", r.getOffsetDateTime("deployed_at").toInstant().toString()))
                .put("versions", new JsonArray()));
            model.getJsonArray("versions").add(new JsonObject()
                .put("version", r.getInteger("version"))
                .put("job_id", r.getUUID("job_id").toString())
                .put("architecture", r.getString("architecture"))
                .put("metrics", r.getJsonObject("metrics"))
                .put("hyperparameters", r.getJsonObject("hyperparameters"))
                .put("labels", r.getJsonArray("labels"))
                .put("artifact_bytes", r.getLong("artifact_bytes"))
                .put("tuning", r.getJsonObject("tuning"))
                .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString()));
          }
          return byName;
        });
  }
}

package dev.aiaas.gateway.models;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The model registry: versions per tenant and name, with metrics and the DJL artifact in chunks. */
public final class ModelStore {

  private static final int CHUNK_BYTES = 1 << 20;

  private final Pool pool;

  public ModelStore(Pool pool) {
    this.pool = pool;
  }

  /** What a successful job registers. */
  public record NewVersion(UUID tenantId, String name, UUID jobId, String task, String architecture, JsonObject metrics,
      JsonObject hyperparameters, JsonObject preprocessing, JsonArray labels, JsonObject modelSpec, byte[] parameters) {}

  /** Registers version n+1 of the model, with its artifact; in the caller's transaction. */
  public Future<Integer> addVersion(SqlClient tx, NewVersion v) {
    UUID id = UUID.randomUUID();
    return tx.preparedQuery("""
            INSERT INTO models (id, tenant_id, name, version, job_id, task, architecture, metrics, hyperparameters, preprocessing,
                                labels, model_spec, artifact_bytes)
            SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5, $6, $7, $8, $9, $10, $11, $12
            FROM models WHERE tenant_id = $2 AND name = $3
            RETURNING version""")
        .execute(Tuple.from(new Object[] {id, v.tenantId(), v.name(), v.jobId(), v.task(), v.architecture(), v.metrics(),
            v.hyperparameters(), v.preprocessing(), v.labels(), v.modelSpec(), (long) v.parameters().length}))
        .compose(rows -> {
          int version = rows.iterator().next().getInteger(0);
          List<Tuple> chunks = new ArrayList<>();
          for (int offset = 0, seq = 0; offset < v.parameters().length; offset += CHUNK_BYTES, seq++) {
            int end = Math.min(v.parameters().length, offset + CHUNK_BYTES);
            chunks.add(Tuple.of(id, seq, Buffer.buffer(java.util.Arrays.copyOfRange(v.parameters(), offset, end))));
          }
          Future<?> stored = chunks.isEmpty() ? Future.succeededFuture()
              : tx.preparedQuery("INSERT INTO model_artifact_chunks (model_id, seq, data) VALUES ($1, $2, $3)").executeBatch(chunks);
          return stored.map(version);
        });
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
            + " m.artifact_bytes, m.created_at, d.version AS deployed_version, d.deployed_at"
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
                .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString()));
          }
          return byName;
        });
  }
}

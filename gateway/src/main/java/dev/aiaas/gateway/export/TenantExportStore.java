package dev.aiaas.gateway.export;

import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.DataKeys;
import dev.aiaas.gateway.models.ModelStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The SQL of tenant exports: the jobs, their zip chunks, and what goes into the zip. */
final class TenantExportStore {

  /** A claimed job: the export and whose data it holds. */
  record Claimed(UUID id, UUID tenantId) {}

  /** An item of the zip: a dataset as uploaded or a model version's artifact. */
  record Item(String kind, UUID id, String path, JsonObject metadata) {}

  private final Pool pool;

  private final DataKeys keys;

  TenantExportStore(Pool pool, DataKeys keys) {
    this.pool = pool;
    this.keys = keys;
  }

  Future<JsonObject> insert(UUID tenantId, Optional<UUID> requestedBy) {
    return pool.preparedQuery("""
            INSERT INTO tenant_exports (id, tenant_id, requested_by, state) VALUES ($1, $2, $3, 'queued')
            RETURNING id, state, items_done, items_total, bytes, error, created_at, finished_at""")
        .execute(Tuple.of(UUID.randomUUID(), tenantId, requestedBy.orElse(null)))
        .map(rows -> toJson(rows.iterator().next()));
  }

  Future<Optional<JsonObject>> find(UUID tenantId, UUID id) {
    return pool.preparedQuery("""
            SELECT id, state, items_done, items_total, bytes, error, created_at, finished_at
            FROM tenant_exports WHERE id = $1 AND tenant_id = $2""")
        .execute(Tuple.of(id, tenantId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toJson(rows.iterator().next())));
  }

  /**
   * Takes the oldest queued job, or a running one whose node let its lease run out, and starts it
   * (again) from nothing; empty when there is none. {@code SKIP LOCKED}: nodes never take the same job.
   */
  Future<Optional<Claimed>> claim(Duration lease) {
    return pool.withTransaction(tx -> tx.preparedQuery("""
            UPDATE tenant_exports SET state = 'running', attempts = attempts + 1, items_done = 0, items_total = NULL, bytes = 0,
                                      lease_expires_at = now() + $1 * interval '1 second'
            WHERE id = (SELECT id FROM tenant_exports
                        WHERE state = 'queued' OR (state = 'running' AND lease_expires_at < now())
                        ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, tenant_id""")
        .execute(Tuple.of(lease.toSeconds()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Claimed>empty());
          }
          Row r = rows.iterator().next();
          Claimed claimed = new Claimed(r.getUUID("id"), r.getUUID("tenant_id"));
          return tx.preparedQuery("DELETE FROM tenant_export_chunks WHERE export_id = $1").execute(Tuple.of(claimed.id()))
              .map(Optional.of(claimed));
        }));
  }

  /** Records progress and extends the lease; false when the job is no longer this node's (or gone). */
  Future<Boolean> progress(UUID id, int done, int total, long bytes, Duration lease) {
    return pool.preparedQuery("""
            UPDATE tenant_exports SET items_done = $2, items_total = $3, bytes = $4, lease_expires_at = now() + $5 * interval '1 second'
            WHERE id = $1 AND state = 'running'""")
        .execute(Tuple.of(id, done, total, bytes, lease.toSeconds())).map(rows -> rows.rowCount() == 1);
  }

  /** Seals chunk {@code seq} of the export's zip under the tenant's data key and stores it. */
  Future<Void> appendChunk(UUID tenantId, UUID id, int seq, byte[] data, boolean last) {
    return keys.seal(new ChunkAad(ChunkAad.TENANT_EXPORT, tenantId, id, seq, last), data)
        .compose(sealed -> pool.preparedQuery("INSERT INTO tenant_export_chunks (export_id, seq, nonce, data) VALUES ($1, $2, $3, $4)")
            .execute(Tuple.of(id, seq, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.data()))))
        .mapEmpty();
  }

  Future<Void> finish(UUID id, String state, long bytes, Optional<String> error) {
    return pool.preparedQuery("""
            UPDATE tenant_exports SET state = $2, bytes = $3, error = $4, finished_at = now(), lease_expires_at = NULL,
                                      items_done = CASE WHEN $2 = 'succeeded' THEN coalesce(items_total, items_done) ELSE items_done END
            WHERE id = $1""")
        .execute(Tuple.of(id, state, bytes, error.orElse(null))).mapEmpty();
  }

  /** Chunk {@code seq} of the export's zip, opened; empty past the last. */
  Future<Optional<Buffer>> chunk(UUID tenantId, UUID id, int seq) {
    return pool.preparedQuery("""
            SELECT c.nonce, c.data,
                   EXISTS (SELECT 1 FROM tenant_export_chunks n WHERE n.export_id = c.export_id AND n.seq = c.seq + 1) AS more
            FROM tenant_export_chunks c WHERE c.export_id = $1 AND c.seq = $2""")
        .execute(Tuple.of(id, seq))
        .compose(rows -> keys.openRow(rows, ChunkAad.TENANT_EXPORT, tenantId, id, seq));
  }

  /** Datasets (as uploaded) and model versions (their artifacts), each with its metadata. */
  Future<List<Item>> items(UUID tenantId) {
    Tuple tenant = Tuple.of(tenantId);
    return pool.preparedQuery("""
            SELECT id, name, format, bytes, rows, schema, created_at FROM datasets
            WHERE tenant_id = $1 AND status = 'ready' ORDER BY created_at""").execute(tenant)
        .compose(datasets -> pool.preparedQuery("""
                SELECT id, name, version, task, architecture, metrics, hyperparameters, preprocessing, labels, model_spec,
                       artifact_bytes, job_id, created_at
                FROM models WHERE tenant_id = $1 ORDER BY name, version""").execute(tenant)
            .map(models -> {
              List<Item> items = new ArrayList<>();
              for (Row d : datasets) {
                JsonObject json = rowJson(d);
                items.add(new Item("dataset", d.getUUID("id"), "datasets/" + d.getUUID("id") + "-" + safe(d.getString("name"))
                    + ("csv".equals(d.getString("format")) ? ".csv" : ".zip"), json));
              }
              for (Row m : models) {
                JsonObject json = rowJson(m);
                items.add(new Item("model", m.getUUID("id"), "models/" + safe(m.getString("name")) + "/v" + m.getInteger("version") + "/",
                    json));
              }
              return items;
            }));
  }

  /** The bytes of an item as uploaded or trained, chunk {@code seq} opened; empty past the last. */
  Future<Optional<Buffer>> itemChunk(UUID tenantId, Item item, int seq) {
    if (!item.kind().equals("dataset")) {
      return ModelStore.artifactChunk(pool, keys, item.id(), seq);
    }
    return pool.preparedQuery("""
            SELECT c.nonce, c.data,
                   EXISTS (SELECT 1 FROM dataset_chunks n WHERE n.dataset_id = c.dataset_id AND n.seq = c.seq + 1) AS more
            FROM dataset_chunks c WHERE c.dataset_id = $1 AND c.seq = $2""")
        .execute(Tuple.of(item.id(), seq))
        .compose(rows -> keys.openRow(rows, ChunkAad.DATASET, tenantId, item.id(), seq));
  }

  /** The first chunk number of an item (chunks may be numbered from 0 or 1). */
  Future<Integer> firstSeq(Item item) {
    String sql = item.kind().equals("dataset")
        ? "SELECT coalesce(min(seq), 0) FROM dataset_chunks WHERE dataset_id = $1"
        : "SELECT coalesce(min(seq), 0) FROM model_artifact_chunks WHERE model_id = $1";
    return pool.preparedQuery(sql).execute(Tuple.of(item.id())).map(rows -> rows.iterator().next().getInteger(0));
  }

  /**
   * The tenant, its users (never password hashes), keys (never secrets), training and batch jobs
   * and a usage summary per metric and month, as one JSON document.
   */
  Future<JsonObject> metadata(UUID tenantId) {
    Tuple tenant = Tuple.of(tenantId);
    JsonObject doc = new JsonObject();
    return rows("""
            SELECT t.id, t.name, t.status, p.name AS plan, t.created_at FROM tenants t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1""",
        tenant).map(t -> doc.put("tenant", t.isEmpty() ? null : t.getJsonObject(0)))
        .compose(v -> rows("""
            SELECT u.id, u.email, m.role, u.created_at, u.last_login_at FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.tenant_id = $1 ORDER BY u.created_at""", tenant)).map(users -> doc.put("users", users))
        .compose(v -> rows("""
            SELECT id, name, prefix, scopes, created_at, expires_at, revoked_at, last_used_at FROM api_keys
            WHERE tenant_id = $1 ORDER BY created_at""", tenant)).map(keys -> doc.put("api_keys", keys))
        .compose(v -> rows("""
            SELECT id, dataset_id, model_name, spec, state, attempts, result, error, created_at, started_at, finished_at
            FROM training_jobs WHERE tenant_id = $1 ORDER BY created_at""", tenant)).map(jobs -> doc.put("training_jobs", jobs))
        .compose(v -> rows("""
            SELECT id, model_name, version, dataset_id, state, rows_total, created_at, finished_at
            FROM batch_prediction_jobs WHERE tenant_id = $1 ORDER BY created_at""", tenant)).map(jobs -> doc.put("batch_predictions", jobs))
        .compose(v -> rows("""
            SELECT to_char(date_trunc('month', bucket_start AT TIME ZONE 'UTC'), 'YYYY-MM') AS period, metric, sum(quantity)::text AS quantity
            FROM usage_daily WHERE tenant_id = $1 GROUP BY 1, 2 ORDER BY 1, 2""", tenant)).map(usage -> doc.put("usage", usage));
  }

  private Future<JsonArray> rows(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(TenantExportStore::toArray);
  }

  private static JsonArray toArray(RowSet<Row> rows) {
    JsonArray array = new JsonArray();
    rows.forEach(r -> array.add(rowJson(r)));
    return array;
  }

  /** A row as JSON: uuids and times as strings, jsonb as JSON, arrays as arrays. */
  private static JsonObject rowJson(Row r) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < r.size(); i++) {
      Object value = r.getValue(i);
      if (value instanceof UUID || value instanceof Number && !(value instanceof Integer || value instanceof Long)) {
        value = value.toString();
      } else if (value instanceof OffsetDateTime time) {
        value = time.toInstant().toString();
      } else if (value instanceof Object[] array) {
        JsonArray items = new JsonArray();
        for (Object item : array) {
          items.add(item == null ? null : item.toString());
        }
        value = items;
      }
      json.put(r.getColumnName(i), value);
    }
    return json;
  }

  private static JsonObject toJson(Row r) {
    JsonObject json = new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("state", r.getString("state"))
        .put("progress", new JsonObject().put("items_done", r.getInteger("items_done")).put("items_total", r.getInteger("items_total")))
        .put("bytes", r.getLong("bytes"))
        .put("error", r.getString("error"))
        .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString());
    OffsetDateTime finished = r.getOffsetDateTime("finished_at");
    json.put("finished_at", finished == null ? null : finished.toInstant().toString());
    return json;
  }

  /** A name usable as a zip path segment. */
  static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}

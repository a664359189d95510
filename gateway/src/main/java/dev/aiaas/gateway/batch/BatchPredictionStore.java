package dev.aiaas.gateway.batch;

import dev.aiaas.gateway.jobs.LeasedQueue;
import dev.aiaas.worker.api.BatchRun;
import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code batch_prediction_jobs} queue and the CSV results in {@code batch_prediction_results}. */
public final class BatchPredictionStore {

  /** How long a worker holds a job without a heartbeat. */
  static final String LEASE = "15 seconds";

  /** Attempts before a job whose workers keep vanishing fails. */
  static final int MAX_ATTEMPTS = 3;

  private static final String COLUMNS = "id, tenant_id, model_id, model_name, version, dataset_id, state, cancel_requested, attempts,"
      + " rows_total, rows_done, result_bytes, error, created_at, started_at, finished_at";

  private final Pool pool;
  private final DataKeys keys;

  public BatchPredictionStore(Pool pool, DataKeys keys) {
    this.pool = pool;
    this.keys = keys;
  }

  Future<JsonObject> insert(UUID tenantId, UUID modelId, String modelName, int version, UUID datasetId, long rows) {
    return pool.preparedQuery("INSERT INTO batch_prediction_jobs (id, tenant_id, model_id, model_name, version, dataset_id, state,"
            + " rows_total) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7) RETURNING " + COLUMNS)
        .execute(Tuple.of(UUID.randomUUID(), tenantId, modelId, modelName, version, datasetId, rows))
        .map(rows2 -> json(rows2.iterator().next()));
  }

  Future<Optional<JsonObject>> get(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM batch_prediction_jobs WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(json(rows.iterator().next())));
  }

  Future<List<JsonObject>> list(UUID tenantId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM batch_prediction_jobs WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 200")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<JsonObject> all = new ArrayList<>();
          rows.forEach(r -> all.add(json(r)));
          return all;
        });
  }

  /** The queue of batch predictions: oldest first. */
  public LeasedQueue<BatchRun> queue() {
    return new LeasedQueue<>(pool, "batch_prediction_jobs", LEASE, MAX_ATTEMPTS, """
        SELECT j.id FROM batch_prediction_jobs j JOIN tenants t ON t.id = j.tenant_id
        WHERE j.state = 'queued' AND t.status = 'active'
        ORDER BY j.created_at LIMIT 1 FOR UPDATE OF j SKIP LOCKED""", "tenant_id, model_id, dataset_id",
        (id, attempt, r) -> new BatchRun(id, attempt, r.getUUID("tenant_id"), r.getUUID("dataset_id"), r.getUUID("model_id")));
  }

  /** A heartbeat: progress and a renewed lease. */
  Future<Void> progress(UUID id, int attempt, long rowsDone) {
    return pool.preparedQuery("UPDATE batch_prediction_jobs SET rows_done = $3, lease_expires_at = now() + interval '" + LEASE + "'"
            + " WHERE id = $1 AND attempts = $2 AND state = 'running'")
        .execute(Tuple.of(id, attempt, rowsDone)).mapEmpty();
  }

  /** The running attempt's tenant and model name, locked; empty if the job is no longer that attempt. */
  Future<Optional<Row>> lockRunning(SqlClient tx, UUID id, int attempt) {
    return tx.preparedQuery("SELECT tenant_id, model_name FROM batch_prediction_jobs WHERE id = $1 AND attempts = $2"
            + " AND state = 'running' FOR UPDATE")
        .execute(Tuple.of(id, attempt))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
  }

  Future<Void> finish(SqlClient tx, UUID id, String state, long rows, Long resultBytes, String error) {
    return tx.preparedQuery("UPDATE batch_prediction_jobs SET state = $2, rows_done = $3, result_bytes = $4, error = $5,"
            + " finished_at = now(), lease_expires_at = NULL WHERE id = $1")
        .execute(Tuple.of(id, state, rows, resultBytes, error)).mapEmpty();
  }

  Future<Void> deleteResult(SqlClient tx, UUID jobId) {
    return tx.preparedQuery("DELETE FROM batch_prediction_results WHERE job_id = $1").execute(Tuple.of(jobId)).mapEmpty();
  }

  /**
   * Deletes a finished job and its result; empty if the tenant has no such job, false if it is
   * still queued or running (cancel it first).
   */
  Future<Optional<Boolean>> delete(UUID tenantId, UUID id) {
    return pool.preparedQuery("""
            WITH target AS (SELECT id, state FROM batch_prediction_jobs WHERE tenant_id = $1 AND id = $2),
                 deleted AS (DELETE FROM batch_prediction_jobs j USING target
                             WHERE j.id = target.id AND target.state IN ('succeeded', 'failed', 'cancelled') RETURNING j.id)
            SELECT (SELECT count(*) FROM deleted) AS deleted FROM target""")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("deleted") > 0));
  }

  /** Cancels a queued job at once; marks a running one. Returns the state after. */
  Future<Optional<String>> cancel(UUID tenantId, UUID id) {
    return pool.preparedQuery("""
            UPDATE batch_prediction_jobs SET
              state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,
              finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END,
              cancel_requested = CASE WHEN state = 'running' THEN true ELSE cancel_requested END
            WHERE tenant_id = $1 AND id = $2 RETURNING state""")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /** The result's chunks, in order, one query each and opened, so a large result is never held whole. */
  Future<Optional<Buffer>> resultChunk(UUID tenantId, UUID jobId, int seq) {
    return pool.preparedQuery("""
            SELECT c.nonce, c.data,
                   EXISTS (SELECT 1 FROM batch_prediction_results n WHERE n.job_id = c.job_id AND n.seq = c.seq + 1) AS more
            FROM batch_prediction_results c WHERE c.job_id = $1 AND c.seq = $2""")
        .execute(Tuple.of(jobId, seq))
        .compose(rows -> keys.openRow(rows, ChunkAad.BATCH_RESULT, tenantId, jobId, seq));
  }

  private static JsonObject json(Row r) {
    Long total = r.getLong("rows_total");
    long done = r.getLong("rows_done");
    JsonObject job = new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("model", r.getString("model_name"))
        .put("version", r.getInteger("version"))
        .put("dataset_id", r.getUUID("dataset_id").toString())
        .put("state", r.getString("state"))
        .put("cancel_requested", r.getBoolean("cancel_requested"))
        .put("attempts", r.getInteger("attempts"))
        .put("progress", new JsonObject().put("rows_done", done).put("rows_total", total)
            .put("fraction", total == null || total == 0 ? null : Math.min(1.0, (double) done / total)))
        .put("created_at", time(r.getOffsetDateTime("created_at")))
        .put("started_at", time(r.getOffsetDateTime("started_at")))
        .put("finished_at", time(r.getOffsetDateTime("finished_at")));
    if (r.getLong("result_bytes") != null) {
      job.put("result_bytes", r.getLong("result_bytes"));
    }
    if (r.getString("error") != null) {
      job.put("error", r.getString("error"));
    }
    return job;
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}

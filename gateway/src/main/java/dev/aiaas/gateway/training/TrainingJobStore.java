package dev.aiaas.gateway.training;

import dev.aiaas.gateway.jobs.LeasedQueue;
import dev.aiaas.worker.api.EpochProgress;
import dev.aiaas.worker.api.TrainingRun;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for training jobs and their per-epoch progress. */
public final class TrainingJobStore {

  /** How long a claimed job stays a worker's without a heartbeat. */
  static final String LEASE = "30 seconds";

  /** Runs a job may take before it is failed for good (workers lost mid-job). */
  static final int MAX_ATTEMPTS = 3;

  private static final String COLUMNS = "id, tenant_id, dataset_id, model_name, spec, state, cancel_requested, attempts, worker_id,"
      + " result, error, created_at, started_at, finished_at";

  private final Pool pool;

  public TrainingJobStore(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> insert(UUID tenantId, UUID datasetId, String model, JsonObject spec) {
    return pool.preparedQuery("INSERT INTO training_jobs (id, tenant_id, dataset_id, model_name, spec, state)"
            + " VALUES ($1, $2, $3, $4, $5, 'queued') RETURNING " + COLUMNS)
        .execute(Tuple.of(UUID.randomUUID(), tenantId, datasetId, model, spec))
        .map(rows -> job(rows.iterator().next(), null));
  }

  Future<Optional<JsonObject>> byId(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + ", (SELECT report FROM training_job_epochs e WHERE e.job_id = j.id"
            + " AND e.attempt = j.attempts ORDER BY epoch DESC LIMIT 1) AS progress FROM training_jobs j WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next(), rows.iterator().next().getJsonObject("progress"))));
  }

  Future<List<JsonObject>> list(UUID tenantId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM training_jobs WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 200")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<JsonObject> jobs = new ArrayList<>();
          rows.forEach(r -> jobs.add(job(r, null)));
          return jobs;
        });
  }

  /**
   * The queue of training jobs. The next job is picked fairly across tenants: the tenant with the
   * fewest running jobs first, then the one served least recently (so one tenant's backlog cannot
   * starve another), then the oldest job; a tenant at its plan's {@code concurrent_jobs} waits.
   */
  public LeasedQueue<TrainingRun> queue() {
    return new LeasedQueue<>(pool, "training_jobs", LEASE, MAX_ATTEMPTS, """
        SELECT j.id FROM training_jobs j
        JOIN tenants t ON t.id = j.tenant_id JOIN plans p ON p.id = t.plan_id
        WHERE j.state = 'queued' AND t.status = 'active'
          AND (jsonb_typeof(p.limits -> 'concurrent_jobs') IS DISTINCT FROM 'number'
               OR (SELECT count(*) FROM training_jobs r WHERE r.tenant_id = j.tenant_id AND r.state = 'running')
                  < (p.limits ->> 'concurrent_jobs')::int)
        ORDER BY (SELECT count(*) FROM training_jobs r WHERE r.tenant_id = j.tenant_id AND r.state = 'running'),
                 (SELECT max(r.started_at) FROM training_jobs r WHERE r.tenant_id = j.tenant_id) NULLS FIRST,
                 j.created_at
        LIMIT 1 FOR UPDATE OF j SKIP LOCKED""", "tenant_id, dataset_id, spec",
        (id, attempt, r) -> new TrainingRun(id, attempt, r.getUUID("tenant_id"), r.getUUID("dataset_id"), r.getJsonObject("spec")));
  }

  Future<Void> addEpoch(UUID id, int attempt, EpochProgress report) {
    return pool.preparedQuery("INSERT INTO training_job_epochs (job_id, attempt, epoch, report) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(id, attempt, report.epoch(), report.toJson())).mapEmpty();
  }

  /** The reports of the job's current attempt, in order. */
  Future<JsonArray> epochs(UUID id) {
    return pool.preparedQuery("SELECT e.report FROM training_job_epochs e JOIN training_jobs j ON j.id = e.job_id"
            + " WHERE e.job_id = $1 AND e.attempt = j.attempts ORDER BY e.epoch")
        .execute(Tuple.of(id))
        .map(rows -> {
          JsonArray reports = new JsonArray();
          rows.forEach(r -> reports.add(r.getJsonObject(0)));
          return reports;
        });
  }

  /** Ends a running attempt; false if the job is no longer that attempt (e.g. requeued meanwhile). */
  Future<Boolean> finish(SqlClient client, UUID id, int attempt, String state, JsonObject result, String error) {
    return client.preparedQuery("UPDATE training_jobs SET state = $3, result = $4, error = $5, finished_at = now(), lease_expires_at = NULL"
            + " WHERE id = $1 AND attempts = $2 AND state = 'running' RETURNING tenant_id")
        .execute(Tuple.of(id, attempt, state, result, error))
        .map(rows -> rows.size() == 1);
  }

  /**
   * Whether the worker's stored artifact is there for this attempt with the size and SHA-256 its
   * outcome names; locks it until the transaction ends.
   */
  Future<Boolean> artifactIntact(SqlClient tx, UUID jobId, int attempt, UUID artifactId, long bytes, String sha256) {
    // A sealed chunk is its plaintext plus the 16-byte AES-GCM tag.
    return tx.preparedQuery("SELECT bytes, sha256, (SELECT coalesce(sum(length(data) - CASE WHEN nonce IS NULL THEN 0 ELSE 16 END), 0)"
            + " FROM training_artifact_chunks WHERE artifact_id = a.id) AS stored"
            + " FROM training_artifacts a WHERE id = $1 AND job_id = $2 AND attempt = $3 FOR UPDATE")
        .execute(Tuple.of(artifactId, jobId, attempt))
        .map(rows -> {
          if (rows.size() == 0) {
            return false;
          }
          Row r = rows.iterator().next();
          return r.getLong("bytes") == bytes && r.getLong("stored") == bytes && sha256.equals(r.getString("sha256"));
        });
  }

  /** Deletes what the job's attempts stored and no version adopted (a failed run, a lost attempt, a late resend). */
  Future<Void> discardArtifacts(SqlClient tx, UUID jobId) {
    return tx.preparedQuery("DELETE FROM training_artifacts WHERE job_id = $1").execute(Tuple.of(jobId)).mapEmpty();
  }

  /** Deletes one stored artifact, if it is still there. */
  Future<Void> discardArtifact(SqlClient tx, UUID artifactId) {
    return tx.preparedQuery("DELETE FROM training_artifacts WHERE id = $1").execute(Tuple.of(artifactId)).mapEmpty();
  }

  /** Cancels a queued job at once; marks a running one (its worker stops within a batch). Returns the state after. */
  Future<Optional<String>> cancel(UUID tenantId, UUID id) {
    return pool.preparedQuery("""
            UPDATE training_jobs SET
              state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,
              finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END,
              cancel_requested = CASE WHEN state = 'running' THEN true ELSE cancel_requested END
            WHERE tenant_id = $1 AND id = $2 RETURNING state""")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  private static JsonObject job(Row r, JsonObject progress) {
    JsonObject spec = r.getJsonObject("spec");
    JsonObject job = new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("state", r.getString("state"))
        .put("dataset_id", r.getUUID("dataset_id").toString())
        .put("model", r.getString("model_name"))
        .put("task", spec.getString("task"))
        .put("label", spec.getString("label"))
        .put("architecture", spec.getString("architecture"))
        .put("hyperparameters", spec.getJsonObject("hyperparameters"))
        .put("validation_split", spec.getValue("validation_split"))
        .put("seed", spec.getValue("seed"))
        .put("split", spec.getValue("split"))
        .put("class_weight", spec.getValue("class_weight"))
        .put("cv_folds", spec.getValue("cv_folds"))
        .put("attempts", r.getInteger("attempts"))
        .put("cancel_requested", r.getBoolean("cancel_requested"))
        .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString())
        .put("started_at", r.getOffsetDateTime("started_at") == null ? null : r.getOffsetDateTime("started_at").toInstant().toString())
        .put("finished_at", r.getOffsetDateTime("finished_at") == null ? null : r.getOffsetDateTime("finished_at").toInstant().toString());
    if (progress != null) {
      job.put("progress", progress);
    }
    if (r.getJsonObject("result") != null) {
      job.put("result", r.getJsonObject("result"));
    }
    if (r.getString("error") != null) {
      job.put("error", r.getString("error"));
    }
    return job;
  }
}

package dev.aiaas.gateway.training;

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

  /** A job claimed for dispatch. */
  record Claimed(UUID id, UUID tenantId, UUID datasetId, JsonObject spec, int attempt) {}

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
   * Claims the next queued job, fairly across tenants: the tenant with the fewest running jobs
   * first, then the one served least recently (so one tenant's backlog cannot starve another),
   * then the oldest job; a tenant at its plan's {@code concurrent_jobs} waits. Safe with several
   * gateways (SKIP LOCKED).
   */
  Future<Optional<Claimed>> claimNext() {
    return pool.query("""
            UPDATE training_jobs SET state = 'running', attempts = attempts + 1,
                   lease_expires_at = now() + interval '%s', worker_id = NULL
            WHERE id = (
              SELECT j.id FROM training_jobs j
              JOIN tenants t ON t.id = j.tenant_id JOIN plans p ON p.id = t.plan_id
              WHERE j.state = 'queued' AND t.status = 'active'
                AND (jsonb_typeof(p.limits -> 'concurrent_jobs') IS DISTINCT FROM 'number'
                     OR (SELECT count(*) FROM training_jobs r WHERE r.tenant_id = j.tenant_id AND r.state = 'running')
                        < (p.limits ->> 'concurrent_jobs')::int)
              ORDER BY (SELECT count(*) FROM training_jobs r WHERE r.tenant_id = j.tenant_id AND r.state = 'running'),
                       (SELECT max(r.started_at) FROM training_jobs r WHERE r.tenant_id = j.tenant_id) NULLS FIRST,
                       j.created_at
              LIMIT 1 FOR UPDATE OF j SKIP LOCKED)
            RETURNING id, tenant_id, dataset_id, spec, attempts""".formatted(LEASE))
        .execute()
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Claimed(r.getUUID("id"), r.getUUID("tenant_id"), r.getUUID("dataset_id"), r.getJsonObject("spec"),
              r.getInteger("attempts")));
        });
  }

  /** Gives a claimed job back to the queue (no worker took it). */
  Future<Void> unclaim(UUID id, int attempt) {
    return pool.preparedQuery("UPDATE training_jobs SET state = 'queued', attempts = attempts - 1, lease_expires_at = NULL"
            + " WHERE id = $1 AND attempts = $2 AND state = 'running'")
        .execute(Tuple.of(id, attempt)).mapEmpty();
  }

  Future<Void> assign(UUID id, int attempt, String workerId) {
    // Started when a worker took it (a claim no worker accepted is not a start).
    return pool.preparedQuery("UPDATE training_jobs SET worker_id = $3, started_at = coalesce(started_at, now()) WHERE id = $1 AND attempts = $2")
        .execute(Tuple.of(id, attempt, workerId)).mapEmpty();
  }

  Future<Void> extendLease(UUID id, int attempt) {
    return pool.preparedQuery("UPDATE training_jobs SET lease_expires_at = now() + interval '" + LEASE + "'"
            + " WHERE id = $1 AND attempts = $2 AND state = 'running'")
        .execute(Tuple.of(id, attempt)).mapEmpty();
  }

  Future<Void> addEpoch(UUID id, int attempt, JsonObject report) {
    return pool.preparedQuery("INSERT INTO training_job_epochs (job_id, attempt, epoch, report) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(id, attempt, report.getInteger("epoch"), report)).mapEmpty();
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

  /** Jobs whose worker went silent: back to the queue, or failed after too many attempts. */
  Future<List<UUID>> expireLeases() {
    return pool.query("""
            UPDATE training_jobs SET
              state = CASE WHEN attempts >= %d THEN 'failed' ELSE 'queued' END,
              error = CASE WHEN attempts >= %d THEN 'the worker was lost %d times; giving up' ELSE error END,
              finished_at = CASE WHEN attempts >= %d THEN now() ELSE NULL END,
              lease_expires_at = NULL, worker_id = NULL
            WHERE state = 'running' AND lease_expires_at < now() RETURNING id""".formatted(MAX_ATTEMPTS, MAX_ATTEMPTS, MAX_ATTEMPTS, MAX_ATTEMPTS))
        .execute()
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID(0)));
          return ids;
        });
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

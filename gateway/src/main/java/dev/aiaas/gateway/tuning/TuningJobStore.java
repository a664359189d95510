package dev.aiaas.gateway.tuning;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for tuning jobs and their trials (training jobs linked to them), and their API representation. */
final class TuningJobStore {

  private static final String COLUMNS = "id, tenant_id, dataset_id, model_name, spec, state, stop_reason, result, error, created_at, finished_at";

  private final Pool pool;

  TuningJobStore(Pool pool) {
    this.pool = pool;
  }

  Future<UUID> insert(UUID tenantId, UUID datasetId, String model, JsonObject spec) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery("INSERT INTO tuning_jobs (id, tenant_id, dataset_id, model_name, spec, state) VALUES ($1, $2, $3, $4, $5, 'running')")
        .execute(Tuple.of(id, tenantId, datasetId, model, spec)).map(id);
  }

  /** One tuning job with its trials, each with its objective per epoch. */
  Future<Optional<JsonObject>> byId(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM tuning_jobs WHERE tenant_id = $1 AND id = $2").execute(Tuple.of(tenantId, id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.empty());
          }
          Row job = rows.iterator().next();
          TuningSpec spec = TuningSpec.fromJson(job.getJsonObject("spec"));
          return trials(pool, id).compose(trials -> epochs(id).map(epochs -> Optional.of(detail(job, spec, trials, epochs))));
        });
  }

  Future<List<JsonObject>> list(UUID tenantId) {
    return pool.preparedQuery("SELECT " + COLUMNS + ", (SELECT count(*) FROM training_jobs t WHERE t.tuning_job_id = j.id) AS trials_started"
            + " FROM tuning_jobs j WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 200")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<JsonObject> jobs = new ArrayList<>();
          rows.forEach(r -> jobs.add(summary(r, TuningSpec.fromJson(r.getJsonObject("spec"))).put("trials_started", r.getLong("trials_started"))));
          return jobs;
        });
  }

  /** A trial as the tuning logic sees it. */
  record Trial(UUID jobId, int index, String state, boolean stopped, JsonObject spec, JsonObject result, JsonObject model, String error,
      OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    boolean active() {
      return state.equals("queued") || state.equals("running");
    }

    /** The state a client sees: a trial ASHA stopped is {@code stopped}, not {@code cancelled}. */
    String shownState() {
      return stopped && state.equals("cancelled") ? "stopped" : state;
    }
  }

  static Future<List<Trial>> trials(SqlClient client, UUID tuningJobId) {
    return client.preparedQuery("SELECT id, trial, state, stopped_by_tuning, spec, result, trial_model, error, started_at, finished_at"
            + " FROM training_jobs WHERE tuning_job_id = $1 ORDER BY trial")
        .execute(Tuple.of(tuningJobId))
        .map(rows -> {
          List<Trial> trials = new ArrayList<>();
          rows.forEach(r -> trials.add(new Trial(r.getUUID("id"), r.getInteger("trial"), r.getString("state"), r.getBoolean("stopped_by_tuning"),
              r.getJsonObject("spec"), r.getJsonObject("result"), r.getJsonObject("trial_model"), r.getString("error"),
              r.getOffsetDateTime("started_at"), r.getOffsetDateTime("finished_at"))));
          return trials;
        });
  }

  /** Each trial's epoch reports (of its current attempt), in order. */
  private Future<Map<UUID, List<JsonObject>>> epochs(UUID tuningJobId) {
    return pool.preparedQuery("SELECT e.job_id, e.report FROM training_job_epochs e JOIN training_jobs j ON j.id = e.job_id AND e.attempt = j.attempts"
            + " WHERE j.tuning_job_id = $1 ORDER BY j.trial, e.epoch")
        .execute(Tuple.of(tuningJobId))
        .map(rows -> {
          Map<UUID, List<JsonObject>> byTrial = new HashMap<>();
          rows.forEach(r -> byTrial.computeIfAbsent(r.getUUID("job_id"), k -> new ArrayList<>()).add(r.getJsonObject("report")));
          return byTrial;
        });
  }

  /** The best succeeded trial by the objective; ties go to the lower trial number, so a repeat picks the same. */
  static Optional<Trial> best(List<Trial> trials, Objective objective) {
    Trial best = null;
    double bestValue = 0;
    for (Trial t : trials) {
      Optional<Double> value = t.state().equals("succeeded") && t.result() != null ? objective.of(t.result().getJsonObject("metrics"))
          : Optional.empty();
      if (value.isPresent() && (best == null || objective.better(value.get(), bestValue))) {
        best = t;
        bestValue = value.get();
      }
    }
    return Optional.ofNullable(best);
  }

  /** An epoch's objective value: the objective when the epoch's summary has it, else nothing. */
  static Optional<Double> epochObjective(JsonObject report, Objective objective) {
    return objective.of(report.getJsonObject("metrics"));
  }

  private static JsonObject summary(Row r, TuningSpec spec) {
    JsonObject job = spec.toJson()
        .put("id", r.getUUID("id").toString())
        .put("state", r.getString("state"))
        .put("dataset_id", r.getUUID("dataset_id").toString())
        .put("model", r.getString("model_name"))
        .put("trials_planned", spec.trials())
        .put("stop_reason", r.getString("stop_reason"))
        .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString())
        .put("finished_at", time(r.getOffsetDateTime("finished_at")));
    if (r.getJsonObject("result") != null) {
      job.put("result", r.getJsonObject("result"));
    }
    if (r.getString("error") != null) {
      job.put("error", r.getString("error"));
    }
    return job;
  }

  private static JsonObject detail(Row r, TuningSpec spec, List<Trial> trials, Map<UUID, List<JsonObject>> epochs) {
    JsonObject job = summary(r, spec);
    JsonArray shown = new JsonArray();
    for (Trial t : trials) {
      JsonObject trial = trialJson(t, spec, epochs.getOrDefault(t.jobId(), List.of()));
      shown.add(trial);
    }
    job.put("trials", shown);
    job.put("best_trial", best(trials, spec.objective()).map(t -> trialJson(t, spec, epochs.getOrDefault(t.jobId(), List.of())))
        .orElse(null));
    return job;
  }

  static JsonObject trialJson(Trial t, TuningSpec spec, List<JsonObject> epochs) {
    JsonArray perEpoch = new JsonArray();
    epochs.forEach(e -> perEpoch.add(new JsonObject().put("epoch", e.getInteger("epoch"))
        .put("objective", epochObjective(e, spec.objective()).orElse(null))
        .put("validation_loss", e.getValue("validation_loss"))));
    JsonObject trial = new JsonObject()
        .put("trial", t.index())
        .put("training_job_id", t.jobId().toString())
        .put("state", t.shownState())
        .put("hyperparameters", spec.values(t.index()))
        .put("objective_per_epoch", perEpoch)
        .put("started_at", time(t.startedAt()))
        .put("finished_at", time(t.finishedAt()));
    if (t.result() != null) {
      trial.put("objective", spec.objective().of(t.result().getJsonObject("metrics")).orElse(null))
          .put("metrics", t.result().getJsonObject("metrics"))
          .put("epochs_run", t.result().getValue("epochs_run"))
          .put("best_epoch", t.result().getValue("best_epoch"));
    }
    if (t.error() != null) {
      trial.put("error", t.error());
    }
    return trial;
  }

  private static String time(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }
}

package dev.aiaas.gateway.tuning;

import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.gateway.models.ModelStore;
import dev.aiaas.gateway.quota.QuotaPeriod;
import dev.aiaas.worker.api.JobCancel;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.api.TrainingFinished;
import dev.aiaas.worker.api.TrainingProgress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives running tuning jobs: starts trials (training jobs in the ordinary queue) while fewer than
 * {@code parallel_trials} are unfinished and the {@code training_seconds} quota has room, stops weak
 * ASHA trials at their rungs, and when the last trial ends registers the best one as the model's
 * next version. Each step runs in a transaction holding the tuning job's row, so gateway nodes
 * and event loops take turns; a sweep every few seconds picks up what an event missed (a restart,
 * another node's outcome).
 */
public final class TuningScheduler {

  /** Published (a tuning job id) whenever a tuning job's trials or state changed; event streams listen. */
  public static final String CHANGED = "aiaas.tuning.changed";

  static final Duration SWEEP = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(TuningScheduler.class);

  private final Vertx vertx;
  private final Pool pool;
  private final ModelStore models;
  private final StorageMeter storage;
  private final JobDispatcher dispatcher;
  private final Clock clock;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long timer = -1;

  public TuningScheduler(Vertx vertx, Pool pool, ModelStore models, StorageMeter storage, JobDispatcher dispatcher, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.models = models;
    this.storage = storage;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  public Future<Void> start() {
    consumers.add(vertx.eventBus().<TrainingFinished>consumer(TrainingAddresses.FINISHED, msg -> tuningOf(msg.body().jobId())
        .onSuccess(id -> id.ifPresent(this::advance))));
    consumers.add(vertx.eventBus().<TrainingProgress>consumer(TrainingAddresses.PROGRESS, msg -> asha(msg.body())));
    timer = vertx.setPeriodic(SWEEP.toMillis(), id -> sweep());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void sweep() {
    pool.query("SELECT id FROM tuning_jobs WHERE state = 'running'").execute()
        .onSuccess(rows -> rows.forEach(r -> advance(r.getUUID(0))))
        .onFailure(e -> LOG.warn("could not look for running tuning jobs: {}", e.getMessage()));
  }

  private Future<Optional<UUID>> tuningOf(UUID trainingJobId) {
    return pool.preparedQuery("SELECT tuning_job_id FROM training_jobs WHERE id = $1 AND tuning_job_id IS NOT NULL")
        .execute(Tuple.of(trainingJobId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
  }

  /** One step of a tuning job; a no-op when another step holds it or it has ended. */
  Future<Void> advance(UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT tenant_id, dataset_id, model_name, spec, stop_reason FROM tuning_jobs"
                + " WHERE id = $1 AND state = 'running' FOR UPDATE SKIP LOCKED")
            .execute(Tuple.of(id))
            .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Step.NONE) : step(tx, id, rows.iterator().next())))
        .onSuccess(step -> {
          if (step.trialsStarted()) {
            dispatcher.kick();
          }
          if (step.changed()) {
            vertx.eventBus().publish(CHANGED, id.toString());
          }
          step.registeredFor().ifPresent(tenant -> storage.sample(tenant)
              .onFailure(e -> LOG.warn("could not sample storage after tuning job {}: {}", id, e.getMessage())));
        })
        .onFailure(e -> LOG.warn("could not advance tuning job {}: {}", id, e.getMessage()))
        .mapEmpty();
  }

  /** What a step did: started trials, changed the job, registered a version for a tenant. */
  private record Step(boolean trialsStarted, boolean changed, Optional<UUID> registeredFor) {
    static final Step NONE = new Step(false, false, Optional.empty());
  }

  private Future<Step> step(SqlConnection tx, UUID id, Row job) {
    UUID tenantId = job.getUUID("tenant_id");
    TuningSpec spec = TuningSpec.fromJson(job.getJsonObject("spec"));
    return TuningJobStore.trials(tx, id).compose(trials -> {
      long active = trials.stream().filter(TuningJobStore.Trial::active).count();
      int next = trials.size();
      boolean more = job.getString("stop_reason") == null && next < spec.trials();
      if (more && active < spec.parallelTrials()) {
        return quotaRefusal(tx, tenantId).compose(refusal -> {
          if (refusal.isPresent()) {
            return tx.preparedQuery("UPDATE tuning_jobs SET stop_reason = $2 WHERE id = $1").execute(Tuple.of(id, refusal.get()))
                .compose(v -> active == 0 ? finish(tx, id, tenantId, job.getString("model_name"), spec, trials, refusal.get())
                    : Future.succeededFuture(new Step(false, true, Optional.empty())));
          }
          int start = (int) Math.min(spec.parallelTrials() - active, spec.trials() - next);
          List<Tuple> batch = new ArrayList<>();
          for (int i = next; i < next + start; i++) {
            batch.add(Tuple.of(UUID.randomUUID(), tenantId, job.getUUID("dataset_id"), job.getString("model_name"), spec.trialSpec(i), id, i));
          }
          return tx.preparedQuery("INSERT INTO training_jobs (id, tenant_id, dataset_id, model_name, spec, state, tuning_job_id, trial)"
                  + " VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7)")
              .executeBatch(batch).map(new Step(true, true, Optional.empty()));
        });
      }
      if (active == 0 && !more) {
        return finish(tx, id, tenantId, job.getString("model_name"), spec, trials, job.getString("stop_reason"));
      }
      return Future.succeededFuture(Step.NONE);
    });
  }

  /**
   * The reason no further trial may start, if the tenant's hard {@code training_seconds} quota is
   * used up this month (usage of trials still running is counted when they end).
   */
  private Future<Optional<String>> quotaRefusal(SqlConnection tx, UUID tenantId) {
    QuotaPeriod period = QuotaPeriod.containing(clock.instant());
    return tx.preparedQuery("""
            SELECT p.limits -> 'training_seconds' AS quota, 'training_seconds' = ANY (p.soft_limits) AS soft,
                   (SELECT coalesce(sum(u.quantity), 0) FROM usage_daily u WHERE u.tenant_id = t.id AND u.metric = 'training_seconds'
                      AND u.bucket_start >= $2 AND u.bucket_start < $3) AS used
            FROM tenants t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1""")
        .execute(Tuple.of(tenantId, period.start().atOffset(java.time.ZoneOffset.UTC), period.end().atOffset(java.time.ZoneOffset.UTC)))
        .map(rows -> {
          Row r = rows.iterator().next();
          Object quota = r.getValue("quota");
          if (!(quota instanceof Number limit) || Boolean.TRUE.equals(r.getBoolean("soft"))) {
            return Optional.empty();
          }
          BigDecimal used = r.getBigDecimal("used");
          if (used.compareTo(BigDecimal.valueOf(limit.longValue())) < 0) {
            return Optional.empty();
          }
          return Optional.of("the training_seconds quota is used up: " + used.stripTrailingZeros().toPlainString() + " of "
              + limit.longValue() + " seconds this month (it resets at " + period.end() + "); no further trials were started");
        });
  }

  /**
   * The last trial ended: the best succeeded trial becomes the model's next version (its metadata
   * naming the tuning job and trial), every other trial's artifact goes.
   */
  private Future<Step> finish(SqlConnection tx, UUID id, UUID tenantId, String model, TuningSpec spec, List<TuningJobStore.Trial> trials,
      String stopReason) {
    Optional<TuningJobStore.Trial> best = TuningJobStore.best(trials, spec.objective()).filter(t -> t.model() != null);
    Future<Void> discard = tx.preparedQuery("DELETE FROM training_artifacts WHERE job_id IN (SELECT id FROM training_jobs WHERE tuning_job_id = $1)")
        .execute(Tuple.of(id)).mapEmpty();
    if (best.isEmpty()) {
      String error = stopReason != null ? stopReason : "no trial succeeded with a value for the objective " + spec.objective().metric()
          + "; see the trials' errors";
      return discard.compose(v -> end(tx, id, "failed", null, error)).map(new Step(false, true, Optional.empty()));
    }
    TuningJobStore.Trial trial = best.get();
    JsonObject trialSpec = trial.spec();
    JsonObject m = trial.model();
    ModelStore.NewVersion version = new ModelStore.NewVersion(tenantId, model, trial.jobId(), trialSpec.getString("task"),
        trialSpec.getString("architecture"), trial.result().getJsonObject("metrics"), trialSpec.getJsonObject("hyperparameters"),
        m.getJsonObject("preprocessing"), m.getJsonArray("labels"), m.getJsonObject("model_spec"), UUID.fromString(m.getString("artifact_id")),
        m.getLong("artifact_bytes"));
    double value = spec.objective().of(trial.result().getJsonObject("metrics")).orElseThrow();
    JsonObject tuning = new JsonObject().put("tuning_job_id", id.toString()).put("trial", trial.index())
        .put("training_job_id", trial.jobId().toString()).put("objective", spec.objective().metric()).put("value", value);
    return models.addVersion(tx, version)
        .compose(number -> tx.preparedQuery("UPDATE models SET tuning = $4 WHERE tenant_id = $1 AND name = $2 AND version = $3")
            .execute(Tuple.of(tenantId, model, number, tuning))
            .compose(v -> discard)
            .compose(v -> end(tx, id, "succeeded", tuning.copy().put("model", model).put("version", number), null)))
        .map(new Step(false, true, Optional.of(tenantId)));
  }

  private static Future<Void> end(SqlConnection tx, UUID id, String state, JsonObject result, String error) {
    return tx.preparedQuery("UPDATE tuning_jobs SET state = $2, result = $3, error = $4, finished_at = now() WHERE id = $1")
        .execute(Tuple.of(id, state, result, error)).mapEmpty();
  }

  /**
   * ASHA's stopping rule: at a rung (epoch min_epochs * 3^k), a trial continues only if its
   * objective is among the best third of the values every trial of the job reported at that rung
   * so far (once at least three did); otherwise it is cancelled, and shown as {@code stopped}.
   */
  private void asha(TrainingProgress progress) {
    pool.preparedQuery("SELECT j.tuning_job_id, t.spec AS tuning_spec FROM training_jobs j JOIN tuning_jobs t ON t.id = j.tuning_job_id"
            + " WHERE j.id = $1 AND j.state = 'running' AND t.state = 'running'")
        .execute(Tuple.of(progress.jobId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          Row row = rows.iterator().next();
          TuningSpec spec = TuningSpec.fromJson(row.getJsonObject("tuning_spec"));
          int epoch = progress.report().epoch();
          if (!spec.strategy().equals(TuningSpec.ASHA) || !spec.isRung(epoch, progress.report().epochs())) {
            return Future.succeededFuture();
          }
          Optional<Double> own = rungValue(progress.report().toJson(), spec.objective());
          return pool.preparedQuery("SELECT e.report FROM training_job_epochs e JOIN training_jobs j ON j.id = e.job_id AND e.attempt = j.attempts"
                  + " WHERE j.tuning_job_id = $1 AND e.epoch = $2 AND j.id <> $3")
              .execute(Tuple.of(row.getUUID("tuning_job_id"), epoch, progress.jobId()))
              .compose(others -> {
                List<Double> values = new ArrayList<>();
                others.forEach(o -> rungValue(o.getJsonObject(0), spec.objective()).ifPresent(values::add));
                if (own.isEmpty()) {
                  return Future.succeededFuture();
                }
                values.add(own.get());
                if (values.size() < TuningSpec.ETA) {
                  return Future.succeededFuture();
                }
                Comparator<Double> bestFirst = spec.objective().maximize() ? Comparator.reverseOrder() : Comparator.naturalOrder();
                values.sort(bestFirst);
                double cutoff = values.get(Math.max(1, values.size() / TuningSpec.ETA) - 1);
                if (!spec.objective().better(cutoff, own.get())) {
                  return Future.succeededFuture();
                }
                return pool.preparedQuery("UPDATE training_jobs SET cancel_requested = true, stopped_by_tuning = true"
                        + " WHERE id = $1 AND state = 'running' RETURNING id")
                    .execute(Tuple.of(progress.jobId()))
                    .onSuccess(stopped -> {
                      if (stopped.size() == 1) {
                        vertx.eventBus().publish(TrainingAddresses.CANCEL, new JobCancel(progress.jobId()));
                        vertx.eventBus().publish(CHANGED, row.getUUID("tuning_job_id").toString());
                      }
                    }).mapEmpty();
              });
        })
        .onFailure(e -> LOG.warn("could not apply ASHA to training job {}: {}", progress.jobId(), e.getMessage()));
  }

  /** A rung's value: the objective in the epoch's metrics summary (every objective is in it). */
  private static Optional<Double> rungValue(JsonObject report, Objective objective) {
    return TuningJobStore.epochObjective(report, objective);
  }

  /** Cancels a running tuning job and every trial; returns whether it was running. */
  Future<Boolean> cancel(UUID tenantId, UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE tuning_jobs SET state = 'cancelled', finished_at = now(),"
                + " error = 'cancelled by request' WHERE tenant_id = $1 AND id = $2 AND state = 'running' RETURNING id")
            .execute(Tuple.of(tenantId, id))
            .compose(rows -> rows.size() == 0 ? Future.succeededFuture(List.<UUID>of()) : tx.preparedQuery("""
                    UPDATE training_jobs SET
                      state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,
                      finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END,
                      cancel_requested = CASE WHEN state = 'running' THEN true ELSE cancel_requested END
                    WHERE tuning_job_id = $1 AND state IN ('queued', 'running') RETURNING id, state""")
                .execute(Tuple.of(id))
                .compose(trials -> tx.preparedQuery("DELETE FROM training_artifacts WHERE job_id IN"
                        + " (SELECT id FROM training_jobs WHERE tuning_job_id = $1)").execute(Tuple.of(id))
                    .map(v -> {
                      List<UUID> running = new ArrayList<>();
                      trials.forEach(t -> {
                        if (t.getString("state").equals("running")) {
                          running.add(t.getUUID("id"));
                        }
                      });
                      return running;
                    }))
                .map(running -> {
                  running.forEach(trial -> vertx.eventBus().publish(TrainingAddresses.CANCEL, new JobCancel(trial)));
                  return running;
                })))
        .map(running -> {
          vertx.eventBus().publish(CHANGED, id.toString());
          return true;
        });
  }
}

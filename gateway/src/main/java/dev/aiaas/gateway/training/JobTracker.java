package dev.aiaas.gateway.training;

import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.gateway.jobs.JobOutcomes;
import dev.aiaas.gateway.jobs.LeasedQueue;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.models.ModelStore;
import dev.aiaas.worker.api.JobHeartbeat;
import dev.aiaas.worker.api.JobState;
import dev.aiaas.worker.api.TrainedModel;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.api.TrainingFinished;
import dev.aiaas.worker.api.TrainingOutcome;
import dev.aiaas.worker.api.TrainingProgress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Follows running jobs: persists each epoch's progress, renews leases on heartbeats, records the
 * outcome (a new model version, adopting the artifact the worker stored) with the training seconds
 * used, through {@link JobOutcomes}. Jobs whose worker went silent are put back in the queue by the
 * {@link JobDispatcher}.
 */
public final class JobTracker {

  /** The job kind in usage event ids. */
  static final String KIND = "training";

  private final Vertx vertx;
  private final TrainingJobStore jobs;
  private final LeasedQueue<?> queue;
  private final ModelStore models;
  private final JobOutcomes outcomes;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public JobTracker(Vertx vertx, TrainingJobStore jobs, LeasedQueue<?> queue, ModelStore models, JobOutcomes outcomes) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.queue = queue;
    this.models = models;
    this.outcomes = outcomes;
  }

  public Future<Void> start() {
    consumers.add(vertx.eventBus().<TrainingProgress>consumer(TrainingAddresses.PROGRESS,
        msg -> jobs.addEpoch(msg.body().jobId(), msg.body().attempt(), msg.body().report())));
    consumers.add(vertx.eventBus().<JobHeartbeat>consumer(TrainingAddresses.HEARTBEAT,
        msg -> queue.extendLease(msg.body().jobId(), msg.body().attempt())));
    consumers.add(vertx.eventBus().consumer(TrainingAddresses.RESULT, this::result));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void result(Message<TrainingOutcome> msg) {
    outcomes.handle(msg, KIND, this::finish).onSuccess(recorded -> vertx.eventBus().publish(TrainingAddresses.FINISHED,
        new TrainingFinished(msg.body().jobId(), msg.body().state())));
  }

  /**
   * Ends the running attempt: a new model version if it succeeded, and its training seconds
   * whatever the outcome (the device was busy either way). A late result of a requeued attempt
   * finds nothing running and is dropped. Artifacts no version adopted are deleted with the end.
   */
  private Future<Optional<JobOutcomes.Finished>> finish(SqlConnection tx, TrainingOutcome outcome) {
    UUID jobId = outcome.jobId();
    int attempt = outcome.attempt();
    return tx.preparedQuery("SELECT tenant_id, model_name, spec, tuning_job_id FROM training_jobs WHERE id = $1 AND attempts = $2 AND state = 'running'"
            + " FOR UPDATE")
        .execute(Tuple.of(jobId, attempt))
        .compose(rows -> {
          if (rows.size() == 0) {
            return discardLate(tx, outcome).map(Optional.empty());
          }
          Row row = rows.iterator().next();
          UUID tenantId = row.getUUID("tenant_id");
          String model = row.getString("model_name");
          List<JobOutcomes.Usage> usage = List.of(new JobOutcomes.Usage(Metric.TRAINING_SECONDS,
              BigDecimal.valueOf(outcome.trainingSeconds()).setScale(3, RoundingMode.HALF_UP), Optional.of(model)));
          if (outcome.model().isEmpty()) {
            return jobs.discardArtifacts(tx, jobId)
                .compose(v -> jobs.finish(tx, jobId, attempt, outcome.state().wire(), null, outcome.error().orElse(null)))
                .map(Optional.of(new JobOutcomes.Finished(tenantId, usage, false)));
          }
          TrainedModel result = outcome.model().get();
          if (row.getUUID("tuning_job_id") != null) {
            return finishTrial(tx, outcome, row.getUUID("tuning_job_id"), result)
                .map(Optional.of(new JobOutcomes.Finished(tenantId, usage, false)));
          }
          return jobs.artifactIntact(tx, jobId, attempt, result.artifactId(), result.artifactBytes(), result.artifactSha256())
              .compose(intact -> intact
                  ? addVersion(tx, jobId, attempt, tenantId, model, row.getJsonObject("spec"), result)
                      .map(Optional.of(new JobOutcomes.Finished(tenantId, usage, true)))
                  : jobs.discardArtifacts(tx, jobId).compose(v -> jobs.finish(tx, jobId, attempt, JobState.FAILED.wire(), null,
                          "the trained parameters did not reach the database intact; submit the job again"))
                      .map(Optional.of(new JobOutcomes.Finished(tenantId, usage, false))));
        });
  }

  private Future<Boolean> addVersion(SqlConnection tx, UUID jobId, int attempt, UUID tenantId, String model, JsonObject spec,
      TrainedModel result) {
    ModelStore.NewVersion version = new ModelStore.NewVersion(tenantId, model, jobId, spec.getString("task"),
        spec.getString("architecture"), result.evaluation(), spec.getJsonObject("hyperparameters"), result.preprocessing(),
        new JsonArray(result.labels()), result.modelSpec(), result.artifactId(), result.artifactBytes());
    return models.addVersion(tx, version)
        .compose(v -> jobs.discardArtifacts(tx, jobId).map(v))
        .compose(v -> jobs.finish(tx, jobId, attempt, JobState.SUCCEEDED.wire(), new JsonObject()
            .put("model", model).put("version", v)
            .put("metrics", result.evaluation())
            .put("epochs_run", result.epochsRun()).put("stopped_early", result.stoppedEarly())
            .put("best_epoch", result.bestEpoch()), null));
  }

  /**
   * A tuning trial registers no version: its artifact waits for the tuning job's end, which
   * registers the best trial's and discards the others'. A tuning job that ended already (it was
   * cancelled) will register none, so the artifact goes at once.
   */
  private Future<Void> finishTrial(SqlConnection tx, TrainingOutcome outcome, UUID tuningJobId, TrainedModel result) {
    UUID jobId = outcome.jobId();
    JsonObject summary = new JsonObject().put("metrics", result.evaluation()).put("epochs_run", result.epochsRun())
        .put("stopped_early", result.stoppedEarly()).put("best_epoch", result.bestEpoch());
    return tx.preparedQuery("SELECT state FROM tuning_jobs WHERE id = $1 FOR SHARE").execute(Tuple.of(tuningJobId))
        .compose(tuning -> jobs.artifactIntact(tx, jobId, outcome.attempt(), result.artifactId(), result.artifactBytes(),
                result.artifactSha256())
            .compose(intact -> {
              if (!intact) {
                return jobs.discardArtifacts(tx, jobId).compose(v -> jobs.finish(tx, jobId, outcome.attempt(), JobState.FAILED.wire(), null,
                    "the trained parameters did not reach the database intact"));
              }
              boolean kept = tuning.size() == 1 && tuning.iterator().next().getString("state").equals("running");
              JsonObject model = new JsonObject().put("artifact_id", result.artifactId().toString())
                  .put("artifact_bytes", result.artifactBytes()).put("preprocessing", result.preprocessing())
                  .put("labels", new JsonArray(result.labels())).put("model_spec", result.modelSpec());
              Future<Void> keep = kept
                  ? tx.preparedQuery("UPDATE training_jobs SET trial_model = $2 WHERE id = $1").execute(Tuple.of(jobId, model)).mapEmpty()
                  : jobs.discardArtifacts(tx, jobId);
              return keep.compose(v -> jobs.finish(tx, jobId, outcome.attempt(), JobState.SUCCEEDED.wire(), summary, null));
            }))
        .mapEmpty();
  }

  /** The artifact of an attempt that no longer runs is nobody's: it goes (a resend finds nothing to delete). */
  private Future<Void> discardLate(SqlConnection tx, TrainingOutcome outcome) {
    return outcome.model().map(m -> jobs.discardArtifact(tx, m.artifactId())).orElse(Future.succeededFuture());
  }
}

package dev.aiaas.gateway.training;

import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.gateway.jobs.JobOutcomes;
import dev.aiaas.gateway.jobs.LeasedQueue;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.models.ModelStore;
import dev.aiaas.worker.api.TrainingAddresses;
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
 * outcome (a new model version, with its artifact) with the training seconds used, through
 * {@link JobOutcomes}. Jobs whose worker went silent are put back in the queue by the
 * {@link JobDispatcher}.
 */
public final class JobTracker {

  /** The job kind in usage event ids. */
  static final String KIND = "training";

  private final Vertx vertx;
  private final TrainingJobStore jobs;
  private final LeasedQueue queue;
  private final ModelStore models;
  private final JobOutcomes outcomes;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  public JobTracker(Vertx vertx, TrainingJobStore jobs, LeasedQueue queue, ModelStore models, JobOutcomes outcomes) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.queue = queue;
    this.models = models;
    this.outcomes = outcomes;
  }

  public Future<Void> start() {
    consumers.add(vertx.eventBus().consumer(TrainingAddresses.PROGRESS, msg -> jobs.addEpoch(
        UUID.fromString(msg.body().getString("job_id")), msg.body().getInteger("attempt"), msg.body().getJsonObject("report"))));
    consumers.add(vertx.eventBus().consumer(TrainingAddresses.HEARTBEAT, msg -> queue.extendLease(
        UUID.fromString(msg.body().getString("job_id")), msg.body().getInteger("attempt"))));
    consumers.add(vertx.eventBus().consumer(TrainingAddresses.RESULT, this::result));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void result(Message<JsonObject> msg) {
    outcomes.handle(msg, KIND, this::finish).onSuccess(recorded -> vertx.eventBus().publish(TrainingAddresses.FINISHED,
        new JsonObject().put("job_id", msg.body().getString("job_id")).put("state", msg.body().getString("state"))));
  }

  /**
   * Ends the running attempt: a new model version if it succeeded, and its training seconds
   * whatever the outcome (the device was busy either way). A late result of a requeued attempt
   * finds nothing running and is dropped.
   */
  private Future<Optional<JobOutcomes.Finished>> finish(SqlConnection tx, JsonObject outcome) {
    UUID jobId = UUID.fromString(outcome.getString("job_id"));
    int attempt = outcome.getInteger("attempt");
    String state = outcome.getString("state");
    return tx.preparedQuery("SELECT tenant_id, model_name, spec FROM training_jobs WHERE id = $1 AND attempts = $2 AND state = 'running'"
            + " FOR UPDATE")
        .execute(Tuple.of(jobId, attempt))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.empty());
          }
          Row row = rows.iterator().next();
          UUID tenantId = row.getUUID("tenant_id");
          String model = row.getString("model_name");
          List<JobOutcomes.Usage> usage = List.of(new JobOutcomes.Usage(Metric.TRAINING_SECONDS,
              BigDecimal.valueOf(outcome.getDouble("training_seconds", 0.0)).setScale(3, RoundingMode.HALF_UP), Optional.of(model)));
          if (!state.equals("succeeded")) {
            return jobs.finish(tx, jobId, attempt, state, null, outcome.getString("error"))
                .map(Optional.of(new JobOutcomes.Finished(tenantId, usage, false)));
          }
          JsonObject spec = row.getJsonObject("spec");
          JsonObject result = outcome.getJsonObject("result");
          ModelStore.NewVersion version = new ModelStore.NewVersion(tenantId, model, jobId, spec.getString("task"),
              spec.getString("architecture"), result.getJsonObject("evaluation"), spec.getJsonObject("hyperparameters"),
              result.getJsonObject("preprocessing"), result.getJsonArray("labels", new JsonArray()), result.getJsonObject("model_spec"),
              result.getBinary("parameters"));
          return models.addVersion(tx, version).compose(v -> jobs.finish(tx, jobId, attempt, "succeeded", new JsonObject()
                  .put("model", model).put("version", v)
                  .put("metrics", result.getJsonObject("evaluation"))
                  .put("epochs_run", result.getInteger("epochs_run")).put("stopped_early", result.getBoolean("stopped_early"))
                  .put("best_epoch", result.getInteger("best_epoch")), null))
              .map(Optional.of(new JobOutcomes.Finished(tenantId, usage, true)));
        });
  }
}

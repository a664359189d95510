package dev.aiaas.gateway.training;

import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.gateway.jobs.LeasedQueue;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.gateway.metering.UsageEvent;
import dev.aiaas.gateway.metering.UsageRecorder;
import dev.aiaas.gateway.models.ModelStore;
import dev.aiaas.worker.api.TrainingAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows running jobs: persists each epoch's progress, renews leases on heartbeats, records the
 * outcome (a new model version, with its artifact, and the training seconds used). Jobs whose
 * worker went silent are put back in the queue by the {@link JobDispatcher}.
 */
public final class JobTracker {

  private static final Logger LOG = LoggerFactory.getLogger(JobTracker.class);

  private final Vertx vertx;
  private final Pool pool;
  private final TrainingJobStore jobs;
  private final LeasedQueue queue;
  private final ModelStore models;
  private final UsageRecorder usage;
  private final StorageMeter storage;
  private final Clock clock;
  private final List<MessageConsumer<JsonObject>> consumers = new java.util.ArrayList<>();

  public JobTracker(Vertx vertx, Pool pool, TrainingJobStore jobs, LeasedQueue queue, ModelStore models, UsageRecorder usage, StorageMeter storage,
      Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.jobs = jobs;
    this.queue = queue;
    this.models = models;
    this.usage = usage;
    this.storage = storage;
    this.clock = clock;
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
    JsonObject outcome = msg.body();
    UUID jobId = UUID.fromString(outcome.getString("job_id"));
    int attempt = outcome.getInteger("attempt");
    String state = outcome.getString("state");
    // Only the attempt still running counts: a late result of a requeued attempt is dropped.
    pool.withTransaction(tx -> tx.preparedQuery("SELECT tenant_id, model_name, spec FROM training_jobs"
                + " WHERE id = $1 AND attempts = $2 AND state = 'running' FOR UPDATE")
            .execute(io.vertx.sqlclient.Tuple.of(jobId, attempt))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.<UUID>empty());
              }
              var row = rows.iterator().next();
              UUID tenantId = row.getUUID("tenant_id");
              JsonObject spec = row.getJsonObject("spec");
              if (!state.equals("succeeded")) {
                return jobs.finish(tx, jobId, attempt, state, null, outcome.getString("error")).map(Optional.of(tenantId));
              }
              JsonObject result = outcome.getJsonObject("result");
              ModelStore.NewVersion version = new ModelStore.NewVersion(tenantId, row.getString("model_name"), jobId,
                  spec.getString("task"), spec.getString("architecture"), result.getJsonObject("evaluation"),
                  spec.getJsonObject("hyperparameters"), result.getJsonObject("preprocessing"), result.getJsonArray("labels", new JsonArray()),
                  result.getJsonObject("model_spec"), result.getBinary("parameters"));
              return models.addVersion(tx, version).compose(v -> jobs.finish(tx, jobId, attempt, "succeeded", new JsonObject()
                      .put("model", row.getString("model_name")).put("version", v)
                      .put("metrics", result.getJsonObject("evaluation"))
                      .put("epochs_run", result.getInteger("epochs_run")).put("stopped_early", result.getBoolean("stopped_early")), null))
                  .map(Optional.of(tenantId));
            }))
        .compose(tenant -> tenant.isEmpty() ? Future.succeededFuture()
            : usage.record(List.of(UsageEvent.of(tenant.get(), Metric.TRAINING_SECONDS,
                BigDecimal.valueOf(outcome.getDouble("training_seconds", 0.0)).setScale(3, RoundingMode.HALF_UP), clock.instant(),
                Optional.empty(), Optional.empty())))
                .compose(recorded -> state.equals("succeeded") ? storage.sample(tenant.get()) : Future.succeededFuture()))
        .onSuccess(v -> {
          msg.reply(new JsonObject());
          vertx.eventBus().publish(TrainingAddresses.FINISHED, new JsonObject().put("job_id", jobId.toString()).put("state", state));
        })
        .onFailure(e -> {
          LOG.warn("could not record the outcome of training job {}: {}", jobId, e.getMessage());
          msg.fail(500, e.getMessage());
        });
  }
}

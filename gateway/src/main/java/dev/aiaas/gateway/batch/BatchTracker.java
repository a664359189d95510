package dev.aiaas.gateway.batch;

import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.gateway.metering.UsageEvent;
import dev.aiaas.gateway.metering.UsageStore;
import dev.aiaas.worker.api.ServingAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows running batch predictions: records their progress (which also renews their lease) and
 * their outcome, with the predictions' usage in the same transaction, so a finished job is
 * metered exactly once. Dispatch and requeueing are the {@link JobDispatcher}'s.
 */
public final class BatchTracker {

  private static final Logger LOG = LoggerFactory.getLogger(BatchTracker.class);

  private final Vertx vertx;
  private final Pool pool;
  private final BatchPredictionStore jobs;
  private final UsageStore usage;
  private final StorageMeter storage;
  private final Clock clock;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  public BatchTracker(Vertx vertx, Pool pool, BatchPredictionStore jobs, UsageStore usage, StorageMeter storage, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.jobs = jobs;
    this.usage = usage;
    this.storage = storage;
    this.clock = clock;
  }

  public Future<Void> start() {
    consumers.add(vertx.eventBus().consumer(ServingAddresses.BATCH_PROGRESS, msg -> jobs.progress(
        UUID.fromString(msg.body().getString("job_id")), msg.body().getInteger("attempt"), msg.body().getLong("rows_done", 0L))));
    consumers.add(vertx.eventBus().consumer(ServingAddresses.BATCH_RESULT, this::result));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** Tells the worker running the job to stop. */
  public void cancel(UUID jobId) {
    vertx.eventBus().publish(ServingAddresses.BATCH_CANCEL, new JsonObject().put("job_id", jobId.toString()));
  }

  private void result(Message<JsonObject> msg) {
    JsonObject outcome = msg.body();
    UUID jobId = UUID.fromString(outcome.getString("job_id"));
    int attempt = outcome.getInteger("attempt");
    String state = outcome.getString("state");
    long rows = outcome.getLong("rows", 0L);
    // Only the attempt still running counts: a late result of a requeued attempt is dropped.
    pool.withTransaction(tx -> jobs.lockRunning(tx, jobId, attempt).compose(running -> {
      if (running.isEmpty()) {
        return Future.succeededFuture(Optional.<UUID>empty());
      }
      UUID tenantId = running.get().getUUID("tenant_id");
      Future<Void> finished = jobs.finish(tx, jobId, state, rows, outcome.getLong("result_bytes"), outcome.getString("error"));
      if (!"succeeded".equals(state)) {
        // What a failed or cancelled attempt wrote is of no use to anyone: it goes, with the job's end.
        return finished.compose(v -> jobs.deleteResult(tx, jobId)).map(Optional.<UUID>empty());
      }
      if (rows == 0) {
        return finished.map(Optional.of(tenantId));
      }
      // The job id is the event id: however often a result is delivered, its predictions count once.
      UsageEvent predictions = new UsageEvent(jobId, tenantId, Metric.PREDICTIONS, BigDecimal.valueOf(rows),
          clock.instant(), Optional.empty(), Optional.of(running.get().getString("model_name")));
      return finished.compose(v -> usage.insert(tx, List.of(predictions))).map(Optional.of(tenantId));
    }))
        // The result is stored data: it counts towards the tenant's storage from now on.
        .compose(stored -> stored.isEmpty() ? Future.succeededFuture() : storage.sample(stored.get()))
        .onSuccess(v -> msg.reply(new JsonObject()))
        .onFailure(e -> {
          LOG.warn("could not record the outcome of batch prediction {}: {}", jobId, e.getMessage());
          msg.fail(500, e.getMessage());
        });
  }
}

package dev.aiaas.gateway.batch;

import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.UsageEvent;
import dev.aiaas.gateway.metering.UsageStore;
import dev.aiaas.worker.api.ServingAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the batch prediction queue: hands queued jobs to free workers, keeps leases alive from
 * their progress, records outcomes (with the predictions' usage in the same transaction, so a
 * finished job is metered exactly once), and requeues jobs whose worker went silent.
 */
public final class BatchScheduler {

  static final Duration INTERVAL = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);

  private final Vertx vertx;
  private final Pool pool;
  private final BatchPredictionStore jobs;
  private final UsageStore usage;
  private final Clock clock;
  private final AtomicBoolean dispatching = new AtomicBoolean();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private long timer = -1;

  public BatchScheduler(Vertx vertx, Pool pool, BatchPredictionStore jobs, UsageStore usage, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.jobs = jobs;
    this.usage = usage;
    this.clock = clock;
  }

  public Future<Void> start() {
    consumers.add(vertx.eventBus().consumer(ServingAddresses.BATCH_PROGRESS, msg -> jobs.progress(
        UUID.fromString(msg.body().getString("job_id")), msg.body().getInteger("attempt"), msg.body().getLong("rows_done", 0L))));
    consumers.add(vertx.eventBus().consumer(ServingAddresses.BATCH_RESULT, this::result));
    timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> {
      jobs.expireLeases().onSuccess(n -> {
        if (n > 0) {
          LOG.warn("{} batch predictions lost their worker; back to the queue", n);
        }
      });
      kick();
    });
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** Dispatches until the queue is empty or no worker takes a job. */
  public void kick() {
    if (!dispatching.compareAndSet(false, true)) {
      return;
    }
    next().onComplete(ar -> {
      dispatching.set(false);
      if (ar.failed()) {
        LOG.warn("dispatching batch predictions failed: {}", ar.cause().getMessage());
      }
    });
  }

  private Future<Void> next() {
    return jobs.claimNext().compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture();
      }
      BatchPredictionStore.Claimed job = claimed.get();
      return vertx.eventBus().<JsonObject>request(ServingAddresses.BATCH_RUN, new JsonObject()
                  .put("job_id", job.id().toString()).put("attempt", job.attempt())
                  .put("tenant_id", job.tenantId().toString()).put("dataset_id", job.datasetId().toString())
                  .put("model_id", job.modelId().toString()),
              new DeliveryOptions().setSendTimeout(10_000))
          .compose(accepted -> jobs.assign(job.id(), job.attempt(), accepted.body().getString("worker_id")).compose(ok -> next()),
              refused -> jobs.unclaim(job.id(), job.attempt()));
    });
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
        return Future.succeededFuture();
      }
      Future<Void> finished = jobs.finish(tx, jobId, state, rows, outcome.getLong("result_bytes"), outcome.getString("error"));
      if (!"succeeded".equals(state) || rows == 0) {
        return finished;
      }
      // The job id is the event id: however often a result is delivered, its predictions count once.
      UsageEvent predictions = new UsageEvent(jobId, running.get().getUUID("tenant_id"), Metric.PREDICTIONS, BigDecimal.valueOf(rows),
          clock.instant(), Optional.empty(), Optional.of(running.get().getString("model_name")));
      return finished.compose(v -> usage.insert(tx, List.of(predictions)));
    }))
        .onSuccess(v -> msg.reply(new JsonObject()))
        .onFailure(e -> {
          LOG.warn("could not record the outcome of batch prediction {}: {}", jobId, e.getMessage());
          msg.fail(500, e.getMessage());
        });
  }
}

package dev.aiaas.gateway.training;

import dev.aiaas.worker.api.TrainingAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands queued jobs to workers: claims the next job in PostgreSQL (fair across tenants, within
 * their plan's concurrency), sends it over the event bus, and gives it back to the queue if no
 * worker is free. Runs when a job is submitted and every couple of seconds.
 */
public final class JobDispatcher {

  static final Duration INTERVAL = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);

  private final Vertx vertx;
  private final TrainingJobStore jobs;
  private final AtomicBoolean dispatching = new AtomicBoolean();
  private long timer = -1;

  public JobDispatcher(Vertx vertx, TrainingJobStore jobs) {
    this.vertx = vertx;
    this.jobs = jobs;
  }

  public void start() {
    timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> kick());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Dispatches until the queue is empty or no worker takes a job. */
  public void kick() {
    if (!dispatching.compareAndSet(false, true)) {
      return;
    }
    next().onComplete(ar -> {
      dispatching.set(false);
      if (ar.failed()) {
        LOG.warn("dispatching training jobs failed: {}", ar.cause().getMessage());
      }
    });
  }

  private Future<Void> next() {
    return jobs.claimNext().compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture();
      }
      TrainingJobStore.Claimed job = claimed.get();
      // The worker reads the dataset from PostgreSQL itself: the message stays small whatever the data.
      return vertx.eventBus().<JsonObject>request(TrainingAddresses.RUN, new JsonObject()
                  .put("job_id", job.id().toString())
                  .put("attempt", job.attempt())
                  .put("spec", job.spec())
                  .put("tenant_id", job.tenantId().toString())
                  .put("dataset_id", job.datasetId().toString()),
              new DeliveryOptions().setSendTimeout(10_000))
          .compose(accepted -> jobs.assign(job.id(), job.attempt(), accepted.body().getString("worker_id")).compose(ok -> next()),
              // no worker, or all busy: the job waits in the queue for the next round
              refused -> jobs.unclaim(job.id(), job.attempt()));
    });
  }
}

package dev.aiaas.gateway.jobs;

import dev.aiaas.worker.api.JobAccepted;
import dev.aiaas.worker.api.JobAttempt;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands queued jobs to workers: claims the next job in PostgreSQL, sends it over the event bus,
 * and gives it back to the queue if no worker is free. Runs when a job is submitted and every
 * couple of seconds, when it also requeues jobs whose worker went silent.
 */
public final class JobDispatcher {

  static final Duration INTERVAL = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);

  private final Vertx vertx;
  private final LeasedQueue<? extends JobAttempt> queue;
  private final String address;
  private final String what;
  private final AtomicBoolean dispatching = new AtomicBoolean();
  private final Context context;
  private long timer = -1;

  /**
   * @param address where workers take jobs: a free one replies {@link JobAccepted}, a busy one fails
   * @param what the jobs, for logs ("training jobs")
   */
  public JobDispatcher(Vertx vertx, LeasedQueue<? extends JobAttempt> queue, String address, String what) {
    this.vertx = vertx;
    this.queue = queue;
    this.address = address;
    this.what = what;
    // Its own context, created outside any verticle: a kick from a request handler must not tie the
    // workers' replies to an HTTP server verticle, which drops them once it begins to shut down.
    this.context = vertx.getOrCreateContext();
  }

  public void start() {
    timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> {
      queue.expireLeases().onSuccess(lost -> lost.forEach(job -> LOG.warn(
          "{}: {} lost its worker; back to the queue (or failed after {} attempts)", what, job, queue.maxAttempts())));
      kick();
    });
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Dispatches until the queue is empty or no worker takes a job. */
  public void kick() {
    context.runOnContext(v -> dispatch());
  }

  private void dispatch() {
    if (!dispatching.compareAndSet(false, true)) {
      return;
    }
    next().onComplete(ar -> {
      dispatching.set(false);
      if (ar.failed()) {
        LOG.warn("dispatching {} failed: {}", what, ar.cause().getMessage());
      }
    });
  }

  private Future<Void> next() {
    return queue.claimNext().compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture();
      }
      LeasedQueue.Claimed<? extends JobAttempt> job = claimed.get();
      // The message names the data; workers read it from PostgreSQL, so it stays small whatever the data.
      return vertx.eventBus().<JobAccepted>request(address, job.message(), new DeliveryOptions().setSendTimeout(10_000))
          .compose(accepted -> queue.assign(job.id(), job.attempt(), accepted.body().workerId()).compose(ok -> next()),
              // no worker, or all busy: the job waits in the queue for the next round
              refused -> queue.unclaim(job.id(), job.attempt()));
    });
  }
}

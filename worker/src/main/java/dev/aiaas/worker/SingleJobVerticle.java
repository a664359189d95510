package dev.aiaas.worker;

import dev.aiaas.worker.api.JobAccepted;
import dev.aiaas.worker.api.JobAttempt;
import dev.aiaas.worker.api.JobCancel;
import dev.aiaas.worker.api.JobState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued jobs one at a time on one device, the worker side of the gateway's job dispatch:
 * a free verticle accepts a job sent to its run address (a busy one refuses it with 503), keeps
 * its lease with a heartbeat while it works and until a gateway confirms it persisted the outcome
 * it sends to the result address (resent every second, up to {@link #REPORT_TRIES} times), and
 * stops at a cancel message. A verticle that stops abandons its
 * job without reporting it, so the lease lapses and the job runs again elsewhere.
 *
 * <p>Deployed worker-threaded; the work itself runs in {@code executeBlocking}, so the verticle's
 * context stays free for heartbeats and cancels.
 *
 * @param <J> the job message
 * @param <O> the outcome message
 */
public abstract class SingleJobVerticle<J extends JobAttempt, O> extends VerticleBase {

  /** Where jobs come from, where cancels are published, and where outcomes go. */
  public record Addresses(String run, String cancel, String result) {}

  /** Sends of an outcome before giving up on it (then the lease lapses and the job runs again). */
  static final int REPORT_TRIES = 30;

  /** The pause between two sends of an outcome. */
  static final Duration REPORT_RETRY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(SingleJobVerticle.class);

  private final String workerId;
  private final Addresses addresses;
  private final Duration heartbeat;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicBoolean cancelRequested = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile UUID runningJob;

  protected SingleJobVerticle(String workerId, Addresses addresses, Duration heartbeat) {
    this.workerId = workerId;
    this.addresses = addresses;
    this.heartbeat = heartbeat;
  }

  /**
   * Does the job: completes with its succeeded outcome, or fails; a failure while {@link
   * #cancelled()} counts as a cancel. {@code startedNanos}: when the run began ({@link System#nanoTime()}).
   */
  protected abstract Future<O> execute(J job, long startedNanos);

  /** The outcome of a run that failed ({@code error} present) or was cancelled. */
  protected abstract O ended(J job, JobState state, Optional<String> error, long startedNanos);

  /** Publishes the running job's heartbeat (which renews its lease). */
  protected abstract void heartbeat(J job);

  /** Whether the running job should stop: cancelled by its tenant, or this verticle is stopping. */
  protected final boolean cancelled() {
    return cancelRequested.get() || stopping.get();
  }

  protected final String workerId() {
    return workerId;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<J> runs = vertx.eventBus().consumer(addresses.run(), this::run);
    MessageConsumer<JobCancel> cancels = vertx.eventBus().consumer(addresses.cancel(), msg -> {
      if (msg.body().jobId().equals(runningJob)) {
        cancelRequested.set(true);
      }
    });
    return Future.all(runs.completion(), cancels.completion());
  }

  @Override
  public Future<?> stop() {
    stopping.set(true);
    return Future.succeededFuture();
  }

  private void run(Message<J> msg) {
    if (!busy.compareAndSet(false, true)) {
      msg.fail(503, "busy");
      return;
    }
    J job = msg.body();
    runningJob = job.jobId();
    cancelRequested.set(false);
    msg.reply(new JobAccepted(workerId));
    long timer = vertx.setPeriodic(heartbeat.toMillis(), id -> heartbeat(job));
    long started = System.nanoTime();
    execute(job, started)
        .recover(failure -> Future.succeededFuture(cancelled()
            ? ended(job, JobState.CANCELLED, Optional.empty(), started)
            : ended(job, JobState.FAILED, Optional.of(message(failure)), started)))
        .onComplete(done -> {
          O outcome = done.result();
          runningJob = null;
          busy.set(false);
          if (stopping.get()) {
            vertx.cancelTimer(timer);
          } else {
            // The heartbeat goes on until a gateway has the outcome: a run that is over but not yet
            // recorded (the database refused it for a while) keeps its job instead of running again.
            report(job, outcome, REPORT_TRIES).onComplete(reported -> vertx.cancelTimer(timer));
          }
        });
  }

  /** Sends the outcome until a gateway confirms it persisted it; if none does, the lease expires and the job runs again. */
  private Future<Void> report(J job, O outcome, int triesLeft) {
    return vertx.eventBus().request(addresses.result(), outcome, new DeliveryOptions().setSendTimeout(30_000))
        .<Void>mapEmpty()
        .recover(e -> {
          if (triesLeft <= 1 || stopping.get()) {
            LOG.warn("no gateway took the outcome of job {}: {}", job.jobId(), e.getMessage());
            return Future.failedFuture(e);
          }
          return vertx.timer(REPORT_RETRY.toMillis()).compose(t -> report(job, outcome, triesLeft - 1));
        });
  }

  /** The innermost message of a failure, for the job's {@code error}. */
  private static String message(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}

package dev.aiaas.worker;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
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
 */
public abstract class SingleJobVerticle extends VerticleBase {

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
  private volatile String runningJob;

  protected SingleJobVerticle(String workerId, Addresses addresses, Duration heartbeat) {
    this.workerId = workerId;
    this.addresses = addresses;
    this.heartbeat = heartbeat;
  }

  /**
   * Does the job: completes with the outcome's fields ({@code state: succeeded} and what the
   * gateway records), or fails; a failure while {@link #cancelled()} counts as a cancel.
   */
  protected abstract Future<JsonObject> execute(JsonObject job);

  /** Publishes the running job's heartbeat (which renews its lease). */
  protected abstract void heartbeat(String jobId, int attempt);

  /** Fields every outcome carries, whatever the state (e.g. the time a job used). */
  protected JsonObject complete(JsonObject outcome, long startedNanos) {
    return outcome;
  }

  /** Whether the running job should stop: cancelled by its tenant, or this verticle is stopping. */
  protected final boolean cancelled() {
    return cancelRequested.get() || stopping.get();
  }

  protected final String workerId() {
    return workerId;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<JsonObject> runs = vertx.eventBus().consumer(addresses.run(), this::run);
    MessageConsumer<JsonObject> cancels = vertx.eventBus().consumer(addresses.cancel(), msg -> {
      if (msg.body().getString("job_id", "").equals(runningJob)) {
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

  private void run(Message<JsonObject> msg) {
    if (!busy.compareAndSet(false, true)) {
      msg.fail(503, "busy");
      return;
    }
    JsonObject job = msg.body();
    String jobId = job.getString("job_id");
    int attempt = job.getInteger("attempt");
    runningJob = jobId;
    cancelRequested.set(false);
    msg.reply(new JsonObject().put("worker_id", workerId));
    long timer = vertx.setPeriodic(heartbeat.toMillis(), id -> heartbeat(jobId, attempt));
    long started = System.nanoTime();
    execute(job)
        .map(result -> result.copy().put("job_id", jobId).put("attempt", attempt))
        .recover(failure -> Future.succeededFuture(cancelled()
            ? outcome(jobId, attempt, "cancelled")
            : outcome(jobId, attempt, "failed").put("error", message(failure))))
        .onComplete(done -> {
          JsonObject outcome = complete(done.result(), started);
          runningJob = null;
          busy.set(false);
          if (stopping.get()) {
            vertx.cancelTimer(timer);
          } else {
            // The heartbeat goes on until a gateway has the outcome: a run that is over but not yet
            // recorded (the database refused it for a while) keeps its job instead of running again.
            report(outcome, REPORT_TRIES).onComplete(reported -> vertx.cancelTimer(timer));
          }
        });
  }

  /** Sends the outcome until a gateway confirms it persisted it; if none does, the lease expires and the job runs again. */
  private Future<Void> report(JsonObject outcome, int triesLeft) {
    return vertx.eventBus().request(addresses.result(), outcome, new DeliveryOptions().setSendTimeout(30_000))
        .<Void>mapEmpty()
        .recover(e -> {
          if (triesLeft <= 1 || stopping.get()) {
            LOG.warn("no gateway took the outcome of job {}: {}", outcome.getString("job_id"), e.getMessage());
            return Future.failedFuture(e);
          }
          return vertx.timer(REPORT_RETRY.toMillis()).compose(t -> report(outcome, triesLeft - 1));
        });
  }

  private static JsonObject outcome(String jobId, int attempt, String state) {
    return new JsonObject().put("job_id", jobId).put("attempt", attempt).put("state", state);
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

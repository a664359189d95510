package dev.aiaas.gateway.jobs;

import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.gateway.metering.UsageEvent;
import dev.aiaas.gateway.metering.UsageStore;
import dev.aiaas.worker.api.Ack;
import dev.aiaas.worker.api.JobAttempt;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a job's outcome is recorded, for training jobs and batch predictions alike: the
 * outcome and the usage of the run commit in one transaction, under event ids derived from the
 * job and its attempt. If anything fails the worker is told so, nothing is kept, and its resend
 * records both; once both are committed, resends are dropped (the attempt no longer runs). So a
 * run is metered exactly once, never lost between the outcome and its usage.
 */
public final class JobOutcomes {

  /** One metered quantity of a run. */
  public record Usage(Metric metric, BigDecimal quantity, Optional<String> model) {}

  /**
   * What the job kind's part of the transaction came to: the tenant, the usage to meter, and
   * whether the tenant's stored bytes changed (a new model version, a batch result).
   */
  public record Finished(UUID tenantId, List<Usage> usage, boolean storageChanged) {}

  /** The job kind's part: ends the running attempt in {@code tx}; empty if that attempt no longer runs. */
  @FunctionalInterface
  public interface Finish<O> {
    Future<Optional<Finished>> apply(SqlConnection tx, O outcome);
  }

  private static final Logger LOG = LoggerFactory.getLogger(JobOutcomes.class);

  private final Pool pool;
  private final UsageStore usage;
  private final StorageMeter storage;
  private final Clock clock;

  public JobOutcomes(Pool pool, UsageStore usage, StorageMeter storage, Clock clock) {
    this.pool = pool;
    this.usage = usage;
    this.storage = storage;
    this.clock = clock;
  }

  /**
   * Records the outcome a worker sent and replies {@link Ack} once it is committed, or fails the
   * message so the worker sends it again. {@code kind} names the job table's kind ("training",
   * "batch_prediction"); it is part of the event ids.
   *
   * @return whether this delivery recorded the outcome (false: the attempt had already ended)
   */
  public <O extends JobAttempt> Future<Boolean> handle(Message<O> msg, String kind, Finish<O> finish) {
    O outcome = msg.body();
    UUID jobId = outcome.jobId();
    int attempt = outcome.attempt();
    return pool.withTransaction(tx -> finish.apply(tx, outcome).compose(finished -> {
          if (finished.isEmpty()) {
            return Future.succeededFuture(finished);
          }
          List<UsageEvent> events = events(kind, jobId, attempt, finished.get());
          return events.isEmpty() ? Future.succeededFuture(finished) : usage.insert(tx, events).map(finished);
        }))
        .compose(finished -> finished.isPresent() && finished.get().storageChanged()
            ? resample(finished.get().tenantId()).map(true) : Future.succeededFuture(finished.isPresent()))
        .onSuccess(recorded -> msg.reply(Ack.INSTANCE))
        .onFailure(e -> {
          LOG.warn("could not record the outcome of {} {} (attempt {}); the worker will send it again: {}", kind, jobId, attempt,
              e.getMessage());
          msg.fail(500, e.getMessage());
        });
  }

  private List<UsageEvent> events(String kind, UUID jobId, int attempt, Finished finished) {
    return finished.usage().stream()
        .filter(u -> u.quantity().signum() > 0)
        .map(u -> new UsageEvent(eventId(kind, jobId, attempt, u.metric()), finished.tenantId(), u.metric(), u.quantity(),
            clock.instant(), Optional.empty(), u.model(), Optional.of(jobId)))
        .toList();
  }

  /** The outcome is committed; a failed sample must not make the worker resend it (the hourly sample catches up). */
  private Future<Void> resample(UUID tenantId) {
    return storage.sample(tenantId).recover(e -> {
      LOG.warn("could not sample the storage of tenant {} after a job: {}", tenantId, e.getMessage());
      return Future.succeededFuture();
    });
  }

  /**
   * The id of the usage event of one job's attempt for one metric: the same for every delivery of
   * that attempt's outcome, different for another attempt, job kind or metric.
   */
  public static UUID eventId(String kind, UUID jobId, int attempt, Metric metric) {
    return UUID.nameUUIDFromBytes((kind + "/" + jobId + "/" + attempt + "/" + metric.wireName()).getBytes(StandardCharsets.UTF_8));
  }
}

package dev.aiaas.gateway.batch;

import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.gateway.jobs.JobOutcomes;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.worker.api.BatchOutcome;
import dev.aiaas.worker.api.BatchProgress;
import dev.aiaas.worker.api.JobCancel;
import dev.aiaas.worker.api.JobState;
import dev.aiaas.worker.api.ServingAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.SqlConnection;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Follows running batch predictions: records their progress (which also renews their lease) and
 * their outcome, with the predictions' usage in the same transaction ({@link JobOutcomes}), so a
 * finished job is metered exactly once. Dispatch and requeueing are the {@link JobDispatcher}'s.
 */
public final class BatchTracker {

  /** The job kind in usage event ids. */
  static final String KIND = "batch_prediction";

  private final Vertx vertx;
  private final BatchPredictionStore jobs;
  private final JobOutcomes outcomes;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public BatchTracker(Vertx vertx, BatchPredictionStore jobs, JobOutcomes outcomes) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.outcomes = outcomes;
  }

  public Future<Void> start() {
    consumers.add(vertx.eventBus().<BatchProgress>consumer(ServingAddresses.BATCH_PROGRESS,
        msg -> jobs.progress(msg.body().jobId(), msg.body().attempt(), msg.body().rowsDone())));
    consumers.add(vertx.eventBus().consumer(ServingAddresses.BATCH_RESULT, this::result));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** Tells the worker running the job to stop. */
  public void cancel(UUID jobId) {
    vertx.eventBus().publish(ServingAddresses.BATCH_CANCEL, new JobCancel(jobId));
  }

  private void result(Message<BatchOutcome> msg) {
    outcomes.handle(msg, KIND, this::finish);
  }

  /**
   * Ends the running attempt; a succeeded one meters its rows as predictions, and its result is
   * stored data from now on. A late result of a requeued attempt finds nothing running and is dropped.
   */
  private Future<Optional<JobOutcomes.Finished>> finish(SqlConnection tx, BatchOutcome outcome) {
    UUID jobId = outcome.jobId();
    int attempt = outcome.attempt();
    boolean succeeded = outcome.state() == JobState.SUCCEEDED;
    long rows = outcome.rows();
    return jobs.lockRunning(tx, jobId, attempt).compose(running -> {
      if (running.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      UUID tenantId = running.get().getUUID("tenant_id");
      Future<Void> finished = jobs.finish(tx, jobId, outcome.state().wire(), rows, succeeded ? outcome.resultBytes() : null,
          outcome.error().orElse(null));
      if (!succeeded) {
        // What a failed or cancelled attempt wrote is of no use to anyone: it goes, with the job's end.
        return finished.compose(v -> jobs.deleteResult(tx, jobId))
            .map(Optional.of(new JobOutcomes.Finished(tenantId, List.of(), false)));
      }
      List<JobOutcomes.Usage> predictions = List.of(new JobOutcomes.Usage(Metric.PREDICTIONS, BigDecimal.valueOf(rows),
          Optional.of(running.get().getString("model_name"))));
      return finished.map(Optional.of(new JobOutcomes.Finished(tenantId, predictions, true)));
    });
  }
}

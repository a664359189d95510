package dev.aiaas.worker;

import ai.djl.Device;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.data.DatasetChunks;
import io.vertx.sqlclient.Pool;
import dev.aiaas.worker.images.ImageArchive;
import dev.aiaas.worker.images.ImageTrainer;
import dev.aiaas.worker.training.EpochReport;
import dev.aiaas.worker.training.FieldError;
import dev.aiaas.worker.training.Parsed;
import dev.aiaas.worker.training.TabularTrainer;
import dev.aiaas.worker.training.TrainingCancelledException;
import dev.aiaas.worker.training.TrainingListener;
import dev.aiaas.worker.training.TrainingResult;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.util.UUID;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one job at a time on one device. Deployed as a worker-threaded verticle: training runs
 * in {@code executeBlocking}, so the verticle's context stays free for heartbeats and cancels.
 */
public final class TrainingVerticle extends VerticleBase {

  /** Rows a training table may have (the gateway refuses larger uploads anyway). */
  static final int MAX_ROWS = 2_000_000;

  /** How often a running job's lease is renewed. */
  static final Duration HEARTBEAT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(TrainingVerticle.class);

  private final Device device;
  private final String workerId;
  private final Pool pool;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile String runningJob;
  private final AtomicBoolean cancelRequested = new AtomicBoolean();
  /** Set when the verticle stops: the running job is abandoned, not reported, so its lease lapses and it runs again elsewhere. */
  private final AtomicBoolean stopping = new AtomicBoolean();

  /** {@code pool}: the platform's PostgreSQL, where datasets are read from. */
  public TrainingVerticle(Device device, String workerId, Pool pool) {
    this.device = device;
    this.workerId = workerId;
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<JsonObject> runs = vertx.eventBus().consumer(TrainingAddresses.RUN, this::run);
    MessageConsumer<JsonObject> cancels = vertx.eventBus().consumer(TrainingAddresses.CANCEL, msg -> {
      if (msg.body().getString("job_id", "").equals(runningJob)) {
        cancelRequested.set(true);
      }
    });
    return Future.all(runs.completion(), cancels.completion());
  }

  /** Stops the running job at its next batch without reporting it: another worker will run it again. */
  @Override
  public Future<?> stop() {
    stopping.set(true);
    cancelRequested.set(true);
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
    long heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> vertx.eventBus().publish(TrainingAddresses.HEARTBEAT,
        new JsonObject().put("job_id", jobId).put("attempt", attempt).put("worker_id", workerId)));
    long started = System.nanoTime();
    vertx.executeBlocking(() -> train(job, jobId, attempt), false)
        .map(result -> outcome(jobId, attempt, "succeeded").put("result", resultJson(result)))
        .recover(failure -> Future.succeededFuture(failure instanceof TrainingCancelledException
            ? outcome(jobId, attempt, "cancelled")
            : outcome(jobId, attempt, "failed").put("error", message(failure))))
        .onComplete(done -> {
          vertx.cancelTimer(heartbeat);
          JsonObject outcome = done.result().put("training_seconds", (System.nanoTime() - started) / 1e9).put("device", device.toString());
          runningJob = null;
          busy.set(false);
          if (!stopping.get()) {
            report(outcome, 5);
          }
        });
  }

  private TrainingResult train(JsonObject job, String jobId, int attempt) throws Exception {
    Parsed<TrainingSpec> spec = TrainingSpec.parse(job.getJsonObject("spec"));
    if (!spec.isValid()) {
      throw new IllegalArgumentException(describe(spec.errors()));
    }
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onEpoch(EpochReport report) {
        vertx.eventBus().publish(TrainingAddresses.PROGRESS,
            new JsonObject().put("job_id", jobId).put("attempt", attempt).put("report", report.toJson()));
      }

      @Override
      public boolean cancelled() {
        return cancelRequested.get() || stopping.get();
      }
    };
    TrainingSpec s = spec.value();
    try (InputStream dataset = DatasetChunks.open(pool, UUID.fromString(job.getString("tenant_id")), UUID.fromString(job.getString("dataset_id")))) {
      if (TrainingSpec.CNN.equals(s.architecture())) {
        // A zip's directory sits at its end, so an archive is read whole (bounded by the archive limits).
        ImageArchive archive = ImageArchive.read(dataset.readAllBytes(), ImageArchive.Limits.defaults());
        return ImageTrainer.train(archive, s.hyperparameters(), s.validationSplit(), s.seed(), ImageTrainer.DEFAULT_SIZE, device, listener);
      }
      return trainTable(CsvTable.parse(dataset, MAX_ROWS), s, listener);
    }
  }

  private TrainingResult trainTable(CsvTable table, TrainingSpec s, TrainingListener listener) throws Exception {
    List<FieldError> problems = s.validateAgainst(table);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(describe(problems));
    }
    return TabularTrainer.train(table, s, device, listener);
  }

  /** Sends the outcome until a gateway confirms it persisted it; if none does, the lease expires and the job runs again. */
  private void report(JsonObject outcome, int triesLeft) {
    vertx.eventBus().request(TrainingAddresses.RESULT, outcome, new DeliveryOptions().setSendTimeout(30_000))
        .onFailure(e -> {
          if (triesLeft > 1) {
            vertx.setTimer(1_000, id -> report(outcome, triesLeft - 1));
          } else {
            LOG.warn("no gateway took the result of job {}: {}", outcome.getString("job_id"), e.getMessage());
          }
        });
  }

  private static JsonObject outcome(String jobId, int attempt, String state) {
    return new JsonObject().put("job_id", jobId).put("attempt", attempt).put("state", state);
  }

  private static JsonObject resultJson(TrainingResult r) {
    return new JsonObject()
        .put("evaluation", r.evaluation().toJson())
        .put("parameters", r.modelParameters())
        .put("preprocessing", r.preprocessing())
        .put("labels", new io.vertx.core.json.JsonArray(r.labels()))
        .put("epochs_run", r.epochsRun())
        .put("stopped_early", r.stoppedEarly())
        .put("model_spec", r.modelSpec());
  }

  private static String describe(List<FieldError> errors) {
    return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
  }

  private static String message(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}

package dev.aiaas.worker.serving;

import ai.djl.Device;
import dev.aiaas.worker.api.ServingAddresses;
import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.data.DatasetChunks;
import dev.aiaas.worker.images.ImageArchive;
import dev.aiaas.worker.images.ImageModel;
import dev.aiaas.worker.training.Prediction;
import dev.aiaas.worker.training.TabularModel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs batch predictions, one at a time on one device: reads the dataset from PostgreSQL, predicts
 * every row in forward passes of {@value #ROWS_PER_PASS}, and writes the CSV result back to
 * PostgreSQL in chunks, publishing progress (which also keeps the job's lease).
 */
public final class BatchPredictionVerticle extends VerticleBase {

  static final int ROWS_PER_PASS = 1024;
  static final int CHUNK_CHARS = 1 << 20;
  static final Duration HEARTBEAT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(BatchPredictionVerticle.class);

  private final Device device;
  private final String workerId;
  private final Pool pool;
  private final ModelArtifacts artifacts;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile String runningJob;

  public BatchPredictionVerticle(Device device, String workerId, Pool pool, ModelArtifacts artifacts) {
    this.device = device;
    this.workerId = workerId;
    this.pool = pool;
    this.artifacts = artifacts;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<JsonObject> runs = vertx.eventBus().consumer(ServingAddresses.BATCH_RUN, this::run);
    MessageConsumer<JsonObject> cancels = vertx.eventBus().consumer(ServingAddresses.BATCH_CANCEL, msg -> {
      if (msg.body().getString("job_id", "").equals(runningJob)) {
        cancelled.set(true);
      }
    });
    return Future.all(runs.completion(), cancels.completion());
  }

  /** Abandons the running job unreported: its lease lapses and another worker runs it again. */
  @Override
  public Future<?> stop() {
    stopping.set(true);
    cancelled.set(true);
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
    cancelled.set(false);
    msg.reply(new JsonObject().put("worker_id", workerId));
    AtomicLong done = new AtomicLong();
    AtomicLong total = new AtomicLong(-1);
    long heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> vertx.eventBus().publish(ServingAddresses.BATCH_PROGRESS,
        new JsonObject().put("job_id", jobId).put("attempt", attempt).put("worker_id", workerId)
            .put("rows_done", done.get()).put("rows_total", total.get() < 0 ? null : total.get())));
    UUID modelId = UUID.fromString(job.getString("model_id"));
    pool.preparedQuery("SELECT " + StoredModel.COLUMNS + " FROM models m WHERE m.id = $1").execute(Tuple.of(modelId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new IllegalArgumentException("the model version no longer exists"));
          }
          StoredModel model = StoredModel.from(rows.iterator().next());
          return artifacts.parameters(model).compose(parameters -> vertx.executeBlocking(
              () -> predictAll(job, model, parameters, done, total), false));
        })
        .map(bytes -> outcome(jobId, attempt, "succeeded").put("rows", done.get()).put("result_bytes", bytes))
        .recover(failure -> Future.succeededFuture(cancelled.get()
            ? outcome(jobId, attempt, "cancelled").put("rows", 0)
            : outcome(jobId, attempt, "failed").put("rows", 0).put("error", message(failure))))
        .onComplete(finished -> {
          vertx.cancelTimer(heartbeat);
          runningJob = null;
          busy.set(false);
          if (!stopping.get()) {
            report(finished.result(), 5);
          }
        });
  }

  /** Returns the result's size in bytes. BLOCKING. */
  private long predictAll(JsonObject job, StoredModel model, byte[] parameters, AtomicLong done, AtomicLong total) throws Exception {
    UUID jobId = UUID.fromString(job.getString("job_id"));
    ResultWriter writer = new ResultWriter(jobId);
    writer.clear(); // an earlier attempt may have written part of it
    try (InputStream dataset = DatasetChunks.open(pool, UUID.fromString(job.getString("tenant_id")), UUID.fromString(job.getString("dataset_id")))) {
      if (model.isImageModel()) {
        ImageArchive archive = ImageArchive.read(dataset.readAllBytes(), ImageArchive.Limits.defaults());
        List<ImageArchive.LabeledImage> images = archive.images();
        total.set(images.size());
        PredictionCsv csv = new PredictionCsv("file", model.labels());
        try (ImageModel loaded = model.loadImageModel(parameters, device)) {
          for (int from = 0; from < images.size(); from += ROWS_PER_PASS) {
            checkCancelled();
            List<ImageArchive.LabeledImage> slice = images.subList(from, Math.min(images.size(), from + ROWS_PER_PASS));
            List<Prediction.Classification> predictions = loaded.predict(slice.stream().map(ImageArchive.LabeledImage::image).toList());
            for (int i = 0; i < slice.size(); i++) {
              csv.add(slice.get(i).entry(), predictions.get(i));
            }
            done.addAndGet(slice.size());
            writer.maybeFlush(csv);
          }
        }
        return writer.finish(csv);
      }
      CsvTable table = CsvTable.parse(dataset, 2_000_000);
      total.set(table.rows());
      PredictionCsv csv = new PredictionCsv("row", model.labels());
      try (TabularModel loaded = model.loadTabularModel(parameters, device)) {
        for (int from = 0; from < table.rows(); from += ROWS_PER_PASS) {
          checkCancelled();
          int count = Math.min(ROWS_PER_PASS, table.rows() - from);
          List<Prediction> predictions = loaded.predict(table, from, count);
          for (int i = 0; i < count; i++) {
            csv.add(Integer.toString(from + i + 1), predictions.get(i));
          }
          done.addAndGet(count);
          writer.maybeFlush(csv);
        }
      }
      return writer.finish(csv);
    }
  }

  private void checkCancelled() {
    if (cancelled.get()) {
      throw new IllegalStateException("cancelled");
    }
  }

  /** Appends the CSV to {@code batch_prediction_results} chunk by chunk. Used from the blocking job only. */
  private final class ResultWriter {
    private final UUID jobId;
    private int seq;
    private long bytes;

    ResultWriter(UUID jobId) {
      this.jobId = jobId;
    }

    void clear() throws InterruptedException, ExecutionException {
      await(pool.preparedQuery("DELETE FROM batch_prediction_results WHERE job_id = $1").execute(Tuple.of(jobId)));
    }

    void maybeFlush(PredictionCsv csv) throws InterruptedException, ExecutionException {
      if (csv.length() >= CHUNK_CHARS) {
        write(csv.take());
      }
    }

    long finish(PredictionCsv csv) throws InterruptedException, ExecutionException {
      write(csv.take());
      return bytes;
    }

    private void write(String text) throws InterruptedException, ExecutionException {
      if (text.isEmpty()) {
        return;
      }
      byte[] data = text.getBytes(StandardCharsets.UTF_8);
      await(pool.preparedQuery("INSERT INTO batch_prediction_results (job_id, seq, data) VALUES ($1, $2, $3)")
          .execute(Tuple.of(jobId, seq++, Buffer.buffer(data))));
      bytes += data.length;
    }

    private <T> T await(Future<T> future) throws InterruptedException, ExecutionException {
      // Future.await() is for virtual threads; this runs on a blocking-pool thread.
      return future.toCompletionStage().toCompletableFuture().get();
    }
  }

  /** Sends the outcome until a gateway confirms it persisted it; if none does, the lease expires and the job runs again. */
  private void report(JsonObject outcome, int triesLeft) {
    vertx.eventBus().request(ServingAddresses.BATCH_RESULT, outcome, new DeliveryOptions().setSendTimeout(30_000))
        .onFailure(e -> {
          if (triesLeft > 1) {
            vertx.setTimer(1_000, id -> report(outcome, triesLeft - 1));
          } else {
            LOG.warn("no gateway took the result of batch prediction {}: {}", outcome.getString("job_id"), e.getMessage());
          }
        });
  }

  private static JsonObject outcome(String jobId, int attempt, String state) {
    return new JsonObject().put("job_id", jobId).put("attempt", attempt).put("state", state);
  }

  private static String message(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}

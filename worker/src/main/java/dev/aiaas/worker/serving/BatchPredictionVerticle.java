package dev.aiaas.worker.serving;

import ai.djl.Device;
import dev.aiaas.worker.SingleJobVerticle;
import dev.aiaas.worker.api.BatchOutcome;
import dev.aiaas.worker.api.BatchProgress;
import dev.aiaas.worker.api.BatchRun;
import dev.aiaas.worker.api.JobState;
import dev.aiaas.worker.api.ServingAddresses;
import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.data.DatasetChunks;
import dev.aiaas.worker.images.ImageArchive;
import dev.aiaas.worker.images.ImageModel;
import dev.aiaas.worker.training.Prediction;
import dev.aiaas.worker.training.TabularModel;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.ChunkCipher;
import dev.aiaas.crypto.DataKeys;
import io.vertx.sqlclient.Tuple;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs batch predictions, one at a time on one device (see {@link SingleJobVerticle} for the job
 * protocol): reads the dataset from PostgreSQL, predicts every row in forward passes of
 * {@value #ROWS_PER_PASS}, and writes the CSV result back to PostgreSQL in chunks, publishing
 * progress (which also keeps the job's lease).
 */
public final class BatchPredictionVerticle extends SingleJobVerticle<BatchRun, BatchOutcome> {

  static final int ROWS_PER_PASS = 1024;
  static final int CHUNK_CHARS = 1 << 20;
  static final Duration HEARTBEAT = Duration.ofSeconds(2);

  private final Device device;
  private final Pool pool;
  private final DataKeys keys;
  private final ModelArtifacts artifacts;
  private final ImageArchive.Limits archiveLimits;
  private final AtomicLong rowsDone = new AtomicLong();
  private final AtomicLong rowsTotal = new AtomicLong(-1);

  /** {@code archiveLimits}: what an image dataset may hold (the limits its upload was checked against). */
  public BatchPredictionVerticle(Device device, String workerId, Pool pool, DataKeys keys, ModelArtifacts artifacts,
      ImageArchive.Limits archiveLimits) {
    super(workerId, new Addresses(ServingAddresses.BATCH_RUN, ServingAddresses.BATCH_CANCEL, ServingAddresses.BATCH_RESULT), HEARTBEAT);
    this.device = device;
    this.pool = pool;
    this.keys = keys;
    this.artifacts = artifacts;
    this.archiveLimits = archiveLimits;
  }

  @Override
  protected Future<BatchOutcome> execute(BatchRun job, long startedNanos) {
    rowsDone.set(0);
    rowsTotal.set(-1);
    UUID modelId = job.modelId();
    return pool.preparedQuery("SELECT " + StoredModel.COLUMNS + " FROM models m WHERE m.id = $1").execute(Tuple.of(modelId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new IllegalArgumentException("the model version no longer exists"));
          }
          StoredModel model = StoredModel.from(rows.iterator().next());
          return artifacts.parameters(model).compose(parameters -> vertx.executeBlocking(
              () -> predictAll(job, model, parameters, rowsDone, rowsTotal), false));
        })
        .map(bytes -> new BatchOutcome(job.jobId(), job.attempt(), JobState.SUCCEEDED, Optional.empty(), rowsDone.get(), bytes));
  }

  @Override
  protected BatchOutcome ended(BatchRun job, JobState state, Optional<String> error, long startedNanos) {
    return new BatchOutcome(job.jobId(), job.attempt(), state, error, 0, 0);
  }

  @Override
  protected void heartbeat(BatchRun job) {
    long total = rowsTotal.get();
    vertx.eventBus().publish(ServingAddresses.BATCH_PROGRESS, new BatchProgress(job.jobId(), job.attempt(), workerId(),
        rowsDone.get(), total < 0 ? OptionalLong.empty() : OptionalLong.of(total)));
  }

  /** Returns the result's size in bytes. BLOCKING. */
  private long predictAll(BatchRun job, StoredModel model, byte[] parameters, AtomicLong done, AtomicLong total) throws Exception {
    ResultWriter writer = new ResultWriter(job.tenantId(), job.jobId());
    writer.clear(); // an earlier attempt may have written part of it
    try (InputStream dataset = DatasetChunks.open(pool, keys, job.tenantId(), job.datasetId())) {
      if (model.isImageModel()) {
        PredictionCsv csv = new PredictionCsv("file", model.labels(), false);
        try (ImageModel loaded = model.loadImageModel(parameters, device)) {
          // Streamed: images are encoded as they are decoded and predicted a pass at a time.
          List<String> entries = new ArrayList<>(ROWS_PER_PASS);
          List<float[]> encoded = new ArrayList<>(ROWS_PER_PASS);
          ImageArchive.scan(dataset, archiveLimits, (label, entry, image) -> {
            entries.add(entry);
            encoded.add(loaded.encode(image));
            if (encoded.size() == ROWS_PER_PASS) {
              predictImages(loaded, entries, encoded, csv, writer, done);
            }
          });
          predictImages(loaded, entries, encoded, csv, writer, done);
        }
        return writer.finish(csv);
      }
      CsvTable table = CsvTable.parse(dataset, 2_000_000);
      total.set(table.rows());
      PredictionCsv csv = new PredictionCsv("row", model.labels(), true);
      try (TabularModel loaded = model.loadTabularModel(parameters, device)) {
        for (int from = 0; from < table.rows(); from += ROWS_PER_PASS) {
          checkCancelled();
          int count = Math.min(ROWS_PER_PASS, table.rows() - from);
          Map<Integer, List<String>> warnings = new HashMap<>();
          List<Prediction> predictions = loaded.predict(table, from, count, (w, row) ->
              warnings.computeIfAbsent(row, r -> new ArrayList<>()).add(w.column() + ": " + w.message()));
          for (int i = 0; i < count; i++) {
            csv.add(Integer.toString(from + i + 1), predictions.get(i), warnings.getOrDefault(from + i, List.of()));
          }
          done.addAndGet(count);
          writer.maybeFlush(csv);
        }
      }
      return writer.finish(csv);
    }
  }

  /** One forward pass over the images collected so far, written to the CSV; the lists are emptied. */
  private void predictImages(ImageModel loaded, List<String> entries, List<float[]> encoded, PredictionCsv csv,
      ResultWriter writer, AtomicLong done) {
    if (encoded.isEmpty()) {
      return;
    }
    checkCancelled();
    List<Prediction.Classification> predictions = loaded.predictEncoded(encoded);
    for (int i = 0; i < predictions.size(); i++) {
      csv.add(entries.get(i), predictions.get(i));
    }
    done.addAndGet(predictions.size());
    entries.clear();
    encoded.clear();
    try {
      writer.maybeFlush(csv);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the result", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not write the result: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private void checkCancelled() {
    if (cancelled()) {
      throw new IllegalStateException("cancelled");
    }
  }

  /**
   * Appends the CSV to {@code batch_prediction_results} chunk by chunk, each sealed under the
   * tenant's data key. A full chunk is held until the next one exists, so the last chunk is known
   * when it is sealed. Used from the blocking job only.
   */
  private final class ResultWriter {
    private final UUID tenantId;
    private final UUID jobId;
    private int seq;
    private long bytes;
    private String held = "";

    ResultWriter(UUID tenantId, UUID jobId) {
      this.tenantId = tenantId;
      this.jobId = jobId;
    }

    void clear() throws InterruptedException, ExecutionException {
      await(pool.preparedQuery("DELETE FROM batch_prediction_results WHERE job_id = $1").execute(Tuple.of(jobId)));
    }

    void maybeFlush(PredictionCsv csv) throws InterruptedException, ExecutionException {
      if (csv.length() >= CHUNK_CHARS) {
        write(held, false);
        held = csv.take();
      }
    }

    long finish(PredictionCsv csv) throws InterruptedException, ExecutionException {
      String rest = csv.take();
      write(held, rest.isEmpty());
      write(rest, true);
      held = "";
      return bytes;
    }

    private void write(String text, boolean last) throws InterruptedException, ExecutionException {
      if (text.isEmpty()) {
        return;
      }
      byte[] data = text.getBytes(StandardCharsets.UTF_8);
      int n = seq++;
      ChunkCipher.Sealed sealed = keys.sealBlocking(new ChunkAad(ChunkAad.BATCH_RESULT, tenantId, jobId, n, last), data);
      await(pool.preparedQuery("INSERT INTO batch_prediction_results (job_id, seq, nonce, data) VALUES ($1, $2, $3, $4)")
          .execute(Tuple.of(jobId, n, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.data()))));
      bytes += data.length;
    }

    private <T> T await(Future<T> future) throws InterruptedException, ExecutionException {
      // Future.await() is for virtual threads; this runs on a blocking-pool thread.
      return future.toCompletionStage().toCompletableFuture().get();
    }
  }
}

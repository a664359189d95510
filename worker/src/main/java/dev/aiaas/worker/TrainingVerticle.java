package dev.aiaas.worker;

import ai.djl.Device;
import dev.aiaas.worker.api.EpochProgress;
import dev.aiaas.worker.api.JobHeartbeat;
import dev.aiaas.worker.api.JobState;
import dev.aiaas.worker.api.TrainedModel;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.api.TrainingOutcome;
import dev.aiaas.worker.api.TrainingProgress;
import dev.aiaas.worker.api.TrainingRun;
import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.data.DatasetChunks;
import dev.aiaas.worker.images.ImageArchive;
import dev.aiaas.worker.images.ImageSet;
import dev.aiaas.worker.images.ImageTrainer;
import dev.aiaas.worker.training.EpochReport;
import dev.aiaas.worker.training.FieldError;
import dev.aiaas.worker.training.Parsed;
import dev.aiaas.worker.training.TabularTrainer;
import dev.aiaas.worker.training.TrainingListener;
import dev.aiaas.worker.training.TrainingResult;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import dev.aiaas.crypto.DataKeys;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Trains one job at a time on one device (see {@link SingleJobVerticle} for the job protocol). The
 * trained parameters go to PostgreSQL ({@link TrainingArtifacts}); the outcome only names them.
 */
public final class TrainingVerticle extends SingleJobVerticle<TrainingRun, TrainingOutcome> {

  /** Rows a training table may have (the gateway refuses larger uploads anyway). */
  static final int MAX_ROWS = 2_000_000;

  /** How often a running job's lease is renewed. */
  static final Duration HEARTBEAT = Duration.ofSeconds(2);

  /**
   * The pool runs are trained on, shared by every device's verticle (one run per device at a
   * time). A run takes minutes to hours by design: on the default pool, Vert.x's 60 s limit would
   * log every longer run as a blocked thread.
   */
  static final String TRAINING_POOL = "aiaas-training";

  /** At least one per device (threads start only when used). */
  static final int TRAINING_THREADS = 16;

  /** Past this, a run is reported as blocked: a bound no legitimate run reaches. */
  static final long MAX_RUN_DAYS = 7;

  private final Device device;
  private final Pool pool;
  private final DataKeys keys;
  private final ImageArchive.Limits archiveLimits;
  private final TrainingArtifacts artifacts;

  /**
   * {@code pool}: the platform's PostgreSQL, where datasets are read from; {@code archiveLimits}:
   * what an image dataset may hold (the limits its upload was checked against).
   */
  public TrainingVerticle(Device device, String workerId, Pool pool, DataKeys keys, ImageArchive.Limits archiveLimits) {
    super(workerId, new Addresses(TrainingAddresses.RUN, TrainingAddresses.CANCEL, TrainingAddresses.RESULT), HEARTBEAT);
    this.device = device;
    this.pool = pool;
    this.keys = keys;
    this.archiveLimits = archiveLimits;
    this.artifacts = new TrainingArtifacts(pool, keys);
  }

  @Override
  protected Future<TrainingOutcome> execute(TrainingRun job, long startedNanos) {
    WorkerExecutor training =
        vertx.createSharedWorkerExecutor(TRAINING_POOL, TRAINING_THREADS, MAX_RUN_DAYS, TimeUnit.DAYS);
    return training.executeBlocking(() -> train(job), false)
        .andThen(done -> training.close())
        .compose(result -> artifacts.store(job.tenantId(), job.jobId(), job.attempt(), result.modelParameters())
            .map(stored -> new TrainingOutcome(job.jobId(), job.attempt(), JobState.SUCCEEDED, Optional.empty(),
                seconds(startedNanos), device.toString(), Optional.of(trained(result, stored)))));
  }

  /** Training time is metered whatever the outcome: the device was busy. */
  @Override
  protected TrainingOutcome ended(TrainingRun job, JobState state, Optional<String> error, long startedNanos) {
    return new TrainingOutcome(job.jobId(), job.attempt(), state, error, seconds(startedNanos), device.toString(), Optional.empty());
  }

  @Override
  protected void heartbeat(TrainingRun job) {
    vertx.eventBus().publish(TrainingAddresses.HEARTBEAT, new JobHeartbeat(job.jobId(), job.attempt(), workerId()));
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private TrainingResult train(TrainingRun job) throws Exception {
    Parsed<TrainingSpec> spec = TrainingSpec.parse(job.spec());
    if (!spec.isValid()) {
      throw new IllegalArgumentException(describe(spec.errors()));
    }
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onEpoch(EpochReport report) {
        vertx.eventBus().publish(TrainingAddresses.PROGRESS, new TrainingProgress(job.jobId(), job.attempt(),
            new EpochProgress(report.epoch(), report.epochs(), report.trainingLoss(), report.validationLoss(),
                report.evaluation().summaryJson(), report.samplesPerSecond())));
      }

      @Override
      public boolean cancelled() {
        return TrainingVerticle.this.cancelled();
      }
    };
    TrainingSpec s = spec.value();
    try (InputStream dataset = DatasetChunks.open(pool, keys, job.tenantId(), job.datasetId())) {
      if (TrainingSpec.CNN.equals(s.architecture())) {
        // Streamed: each image is decoded once and kept as its resized gray bytes only.
        ImageSet images = ImageSet.read(dataset, archiveLimits, ImageTrainer.DEFAULT_SIZE);
        return ImageTrainer.train(images, s, device, listener);
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

  private static TrainedModel trained(TrainingResult r, TrainingArtifacts.Stored artifact) {
    return new TrainedModel(artifact.id(), artifact.bytes(), artifact.sha256(), r.metricsJson(), r.preprocessing(),
        r.labels(), r.epochsRun(), r.stoppedEarly(), r.bestEpoch() == 0 ? null : r.bestEpoch(), r.modelSpec());
  }

  private static String describe(List<FieldError> errors) {
    return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
  }
}

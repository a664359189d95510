package dev.aiaas.worker.api;

/**
 * Event-bus addresses of training. The gateway claims a queued job in PostgreSQL and sends it to
 * {@link #RUN}; a free worker accepts (replies) and trains; it publishes progress and heartbeats,
 * and sends the result to {@link #RESULT}, which a gateway persists before replying. Bodies are the
 * records named below; the trained parameters are not among them (see {@link TrainedModel}).
 */
public final class TrainingAddresses {

  /**
   * Request: {@link TrainingRun} (the worker reads the dataset from PostgreSQL); a busy worker
   * fails it with 503, a free one replies {@link JobAccepted}.
   */
  public static final String RUN = "aiaas.training.run";

  /** Published after each epoch: {@link TrainingProgress}. */
  public static final String PROGRESS = "aiaas.training.progress";

  /** Published every few seconds while a job runs: {@link JobHeartbeat}; keeps its lease. */
  public static final String HEARTBEAT = "aiaas.training.heartbeat";

  /** Request: {@link TrainingOutcome}; a gateway persists it, then replies {@link Ack}. */
  public static final String RESULT = "aiaas.training.result";

  /** Published by a gateway: {@link JobCancel}; the worker running it stops within a batch. */
  public static final String CANCEL = "aiaas.training.cancel";

  /** Published by the gateway that persisted a result: {@link TrainingFinished}; event streams end on it. */
  public static final String FINISHED = "aiaas.training.finished";

  private TrainingAddresses() {}
}

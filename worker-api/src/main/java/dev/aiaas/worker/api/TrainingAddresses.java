package dev.aiaas.worker.api;

/**
 * Event-bus addresses of training. The gateway claims a queued job in PostgreSQL and sends it to
 * {@link #RUN}; a free worker accepts (replies) and trains; it publishes progress and heartbeats,
 * and sends the result to {@link #RESULT}, which a gateway persists before replying. JSON bodies;
 * binary fields (model parameters) are base64 in JSON.
 */
public final class TrainingAddresses {

  /**
   * Request: {@code {job_id, attempt, spec, tenant_id, dataset_id}} (the worker reads the dataset
   * from PostgreSQL); a busy worker fails it with 503, a free one replies {@code {worker_id}}.
   */
  public static final String RUN = "aiaas.training.run";

  /** Published after each epoch: {@code {job_id, attempt, report}}. */
  public static final String PROGRESS = "aiaas.training.progress";

  /** Published every few seconds while a job runs: {@code {job_id, attempt, worker_id}}; keeps its lease. */
  public static final String HEARTBEAT = "aiaas.training.heartbeat";

  /** Request: {@code {job_id, attempt, state, error?, result?, training_seconds}}; a gateway persists, then replies. */
  public static final String RESULT = "aiaas.training.result";

  /** Published by a gateway: {@code {job_id}}; the worker running it stops within a batch. */
  public static final String CANCEL = "aiaas.training.cancel";

  /** Published by the gateway that persisted a result: {@code {job_id, state}}; event streams end on it. */
  public static final String FINISHED = "aiaas.training.finished";

  private TrainingAddresses() {}
}

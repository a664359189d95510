package dev.aiaas.worker.api;

/**
 * Event-bus addresses of serving. The deployments live in PostgreSQL; the gateway publishes
 * {@link #SYNC} when they change and every serving verticle loads what is deployed and retires what
 * is not. Each loaded model version consumes {@link #predict(String)}, so the event bus spreads a
 * version's requests over every worker (and, clustered, every machine) that loaded it.
 */
public final class ServingAddresses {

  /** Published by a gateway after a deploy or undeploy: {@code {}}; workers re-read the deployments. */
  public static final String SYNC = "aiaas.serving.sync";

  /** Published by a gateway after a deploy or undeploy: {@code {tenant_id, name}}; gateways drop their cached route. */
  public static final String ROUTE_CHANGED = "aiaas.serving.route-changed";

  /**
   * Header of a request to {@link #predict(String)} that only asks whether the version is loaded;
   * the reply is {@code {loaded, device, max_batch_size, max_batch_delay_ms, max_queue}}, the
   * batching that worker applies now.
   */
  public static final String PING_HEADER = "aiaas-ping";

  /** Failure code: the request is malformed; the message is {@code {"errors": [{field, message}]}} JSON. */
  public static final int BAD_INSTANCES = 400;

  /** Failure code: the version's queue is full; retry later. */
  public static final int OVERLOADED = 503;

  /** Failure code: the version is being retired on this worker; send again (the gateway routes anew). */
  public static final int RETIRING = 410;

  /** Failure code: the forward pass failed. */
  public static final int FAILED = 500;

  /**
   * Request: {@code {instances: [...]}} (tabular: objects or arrays; images: {@code {b64}}); reply:
   * {@code {predictions: [...], version, batch_size}} where batch_size is the instances of the forward pass
   * the request ran in.
   */
  public static String predict(String modelId) {
    return "aiaas.serving.predict." + modelId;
  }

  /**
   * Request: {@code {job_id, tenant_id, dataset_id, model_id}}; a worker accepts (replies), predicts
   * every row, stores the result and sends {@link #BATCH_RESULT}.
   */
  public static final String BATCH_RUN = "aiaas.batch.run";

  /** Published while a batch prediction runs: {@code {job_id, rows_done, rows_total}}; also its heartbeat. */
  public static final String BATCH_PROGRESS = "aiaas.batch.progress";

  /** Request: {@code {job_id, state, rows?, error?}}; a gateway persists and meters, then replies. */
  public static final String BATCH_RESULT = "aiaas.batch.result";

  /** Published by a gateway: {@code {job_id}}; the worker running it stops. */
  public static final String BATCH_CANCEL = "aiaas.batch.cancel";

  private ServingAddresses() {}
}

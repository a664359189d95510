package dev.aiaas.worker.api;

/**
 * Event-bus addresses of serving. The deployments live in PostgreSQL; the gateway publishes
 * {@link #SYNC} when they change and every serving verticle loads what is deployed and retires what
 * is not. Each loaded model version consumes {@link #predict(String)}, so the event bus spreads a
 * version's requests over every worker (and, clustered, every machine) that loaded it.
 */
public final class ServingAddresses {

  /** Published by a gateway after a deploy or undeploy: {@link ServingSync}; workers re-read the deployments. */
  public static final String SYNC = "aiaas.serving.sync";

  /** Published by a gateway after a deploy or undeploy: {@link RouteChanged}; gateways drop their cached route. */
  public static final String ROUTE_CHANGED = "aiaas.serving.route-changed";

  /**
   * Header of a request to {@link #predict(String)} (body {@link PredictRequest#PING}) that only asks
   * whether the version is loaded; the reply is a {@link ServingStatus}, the batching that worker
   * applies now.
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
   * Request: {@link PredictRequest}; reply: {@link PredictAnswer}.
   */
  public static String predict(String modelId) {
    return "aiaas.serving.predict." + modelId;
  }

  /**
   * Request: {@link ExplainRequest}; reply: {@link ExplainAnswer}. Consumed by every worker that
   * consumes the version's {@link #predict(String)} address, with the same failure codes; the
   * gradient passes queue behind that version's forward passes.
   */
  public static String explain(String modelId) {
    return "aiaas.serving.explain." + modelId;
  }

  /**
   * Request: {@link BatchRun}; a worker accepts ({@link JobAccepted}), predicts every row, stores the
   * result and sends {@link #BATCH_RESULT}.
   */
  public static final String BATCH_RUN = "aiaas.batch.run";

  /** Published while a batch prediction runs: {@link BatchProgress}; also its heartbeat. */
  public static final String BATCH_PROGRESS = "aiaas.batch.progress";

  /** Request: {@link BatchOutcome}; a gateway persists and meters, then replies {@link Ack}. */
  public static final String BATCH_RESULT = "aiaas.batch.result";

  /** Published by a gateway: {@link JobCancel}; the worker running it stops. */
  public static final String BATCH_CANCEL = "aiaas.batch.cancel";

  private ServingAddresses() {}
}

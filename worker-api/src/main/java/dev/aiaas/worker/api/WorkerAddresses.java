package dev.aiaas.worker.api;

/** Event-bus addresses through which worker verticles announce themselves to the gateway. */
public final class WorkerAddresses {

  /** Each worker verticle publishes its {@link WorkerStatus} JSON here on start and every heartbeat. */
  public static final String STATUS = "aiaas.workers.status";

  /** Publish an empty message here and every worker verticle answers at once on {@link #STATUS}. */
  public static final String DISCOVER = "aiaas.workers.discover";

  /** A worker verticle publishes its status here when it stops, so registries can drop it at once. */
  public static final String STOPPING = "aiaas.workers.stopping";

  private WorkerAddresses() {}
}

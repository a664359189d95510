package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;

/** Published to {@link ServingAddresses#SYNC} after a deploy or undeploy: workers re-read the deployments. */
public record ServingSync() {

  public static final ServingSync INSTANCE = new ServingSync();

  public static final Wire<ServingSync> WIRE = new Wire<>(ServingSync.class, (out, m) -> {}, in -> INSTANCE);
}

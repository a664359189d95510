package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;

/** Published to {@link WorkerAddresses#DISCOVER}: every worker verticle announces its {@link WorkerStatus} at once. */
public record WorkerDiscover() {

  public static final WorkerDiscover INSTANCE = new WorkerDiscover();

  public static final Wire<WorkerDiscover> WIRE = new Wire<>(WorkerDiscover.class, (out, m) -> {}, in -> INSTANCE);
}

package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;

/** A worker's answer to a ping: it has loaded the version, and the batching it applies to it now. */
public record ServingStatus(String device, int maxBatchSize, long maxBatchDelayMs, int maxQueue) {

  public static final Wire<ServingStatus> WIRE = new Wire<>(ServingStatus.class,
      (out, m) -> out.string(m.device()).int32(m.maxBatchSize()).int64(m.maxBatchDelayMs()).int32(m.maxQueue()),
      in -> new ServingStatus(in.string(), in.int32(), in.int64(), in.int32()));
}

package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;

/** A worker's reply to a dispatched job: it took the job and runs it. */
public record JobAccepted(String workerId) {

  public static final Wire<JobAccepted> WIRE =
      new Wire<>(JobAccepted.class, (out, m) -> out.string(m.workerId()), in -> new JobAccepted(in.string()));
}

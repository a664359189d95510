package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Published to {@link ServingAddresses#BATCH_PROGRESS} while a batch prediction runs; also its
 * heartbeat (renews the lease).
 *
 * @param rowsTotal unknown until the dataset is read (image datasets stream, so stay unknown)
 */
public record BatchProgress(UUID jobId, int attempt, String workerId, long rowsDone, OptionalLong rowsTotal)
    implements JobAttempt {

  public static final Wire<BatchProgress> WIRE = new Wire<>(BatchProgress.class,
      (out, m) -> out.uuid(m.jobId()).int32(m.attempt()).string(m.workerId()).int64(m.rowsDone())
          .int64(m.rowsTotal().orElse(-1)),
      in -> {
        BatchProgress read = new BatchProgress(in.uuid(), in.int32(), in.string(), in.int64(), OptionalLong.empty());
        long total = in.int64();
        return total < 0 ? read : new BatchProgress(read.jobId(), read.attempt(), read.workerId(), read.rowsDone(),
            OptionalLong.of(total));
      });
}

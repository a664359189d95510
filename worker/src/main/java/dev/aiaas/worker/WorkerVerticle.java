package dev.aiaas.worker;

import ai.djl.Device;
import dev.aiaas.worker.api.WorkerAddresses;
import dev.aiaas.worker.api.WorkerDiscover;
import dev.aiaas.worker.api.WorkerStatus;
import dev.aiaas.worker.engine.EngineInfo;
import dev.aiaas.worker.serving.LoadedModels;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** One worker per DJL device: announces itself on the event bus and, later, runs DJL work. */
public final class WorkerVerticle extends VerticleBase {

  private final Device device;
  private final WorkerStatus status;
  private final Duration heartbeatInterval;
  private long heartbeatTimer = -1;
  private final LoadedModels loaded;

  /** Creates a worker for {@code device}; BLOCKING once per process (resolves the host name). */
  public WorkerVerticle(Device device, EngineInfo engine, Duration heartbeatInterval) {
    this(device, engine, heartbeatInterval, LocalHost.name());
  }

  WorkerVerticle(Device device, EngineInfo engine, Duration heartbeatInterval, String node) {
    this(device, engine, heartbeatInterval, node, new LoadedModels());
  }

  /** {@code loaded}: what the device's serving verticle has loaded, announced with every heartbeat. */
  WorkerVerticle(Device device, EngineInfo engine, Duration heartbeatInterval, String node, LoadedModels loaded) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    if (heartbeatInterval.toMillis() < 1) {
      throw new IllegalArgumentException("heartbeat interval must be at least 1 ms");
    }
    this.heartbeatInterval = heartbeatInterval;
    this.device = device;
    this.loaded = loaded;
    this.status =
        new WorkerStatus(
            UUID.randomUUID().toString(),
            node,
            device.toString(),
            engine.name(),
            engine.version(),
            engine.gpuCount(),
            Instant.now());
  }

  /** What this worker announces on {@link WorkerAddresses#STATUS}. */
  /** The device this verticle stands for. */
  public Device device() {
    return device;
  }

  public WorkerStatus status() {
    return status;
  }

  @Override
  public Future<?> start() {
    return vertx
        .eventBus()
        .<WorkerDiscover>consumer(WorkerAddresses.DISCOVER, message -> publishStatus())
        .completion()
        .onSuccess(
            registered -> {
              publishStatus();
              heartbeatTimer =
                  vertx.setPeriodic(heartbeatInterval.toMillis(), timer -> publishStatus());
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeatTimer);
    vertx.eventBus().publish(WorkerAddresses.STOPPING, status);
    return Future.succeededFuture();
  }

  private void publishStatus() {
    vertx.eventBus().publish(WorkerAddresses.STATUS, status.withModels(loaded.snapshot()));
  }

  /** The models this device serves, shared with its serving verticle. */
  LoadedModels loaded() {
    return loaded;
  }
}

package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one worker verticle announces about itself on {@link WorkerAddresses#STATUS} and {@link WorkerAddresses#STOPPING}.
 *
 * @param workerId UUID, unique per verticle instance
 * @param node host name of the worker's process
 * @param device DJL device string, e.g. {@code cpu()} or {@code gpu(0)}
 * @param engine DJL engine name, e.g. {@code MXNet}
 * @param engineVersion version of the native engine
 * @param gpuCount GPUs the engine sees on that node
 * @param startedAt when the verticle was created
 * @param models the model versions the device serves (loaded), as of the announcement
 */
public record WorkerStatus(
    String workerId,
    String node,
    String device,
    String engine,
    String engineVersion,
    int gpuCount,
    Instant startedAt,
    List<LoadedModel> models) {

  /** A status that serves no model yet. */
  public WorkerStatus(String workerId, String node, String device, String engine, String engineVersion, int gpuCount, Instant startedAt) {
    this(workerId, node, device, engine, engineVersion, gpuCount, startedAt, List.of());
  }

  public WorkerStatus {
    models = List.copyOf(models);
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(engineVersion, "engineVersion");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  public static final Wire<WorkerStatus> WIRE = new Wire<>(WorkerStatus.class,
      (out, m) -> {
        out.string(m.workerId()).string(m.node()).string(m.device()).string(m.engine()).string(m.engineVersion())
            .int32(m.gpuCount()).int64(m.startedAt().getEpochSecond()).int32(m.startedAt().getNano()).int32(m.models().size());
        m.models().forEach(model -> LoadedModel.WIRE.write().accept(out, model));
      },
      in -> {
        WorkerStatus read = new WorkerStatus(in.string(), in.string(), in.string(), in.string(), in.string(), in.int32(),
            Instant.ofEpochSecond(in.int64(), in.int32()));
        int models = in.int32();
        List<LoadedModel> loaded = new ArrayList<>(models);
        for (int i = 0; i < models; i++) {
          loaded.add(LoadedModel.WIRE.read().apply(in));
        }
        return read.withModels(loaded);
      });

  /** The shape the health endpoint shows, with snake_case keys like the rest of the HTTP API. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("worker_id", workerId)
        .put("node", node)
        .put("device", device)
        .put("engine", engine)
        .put("engine_version", engineVersion)
        .put("gpu_count", gpuCount)
        .put("started_at", startedAt.toString())
        .put("models", new JsonArray(models.stream().map(LoadedModel::toJson).toList()));
  }

  /** The same worker serving {@code loaded}. */
  public WorkerStatus withModels(List<LoadedModel> loaded) {
    return new WorkerStatus(workerId, node, device, engine, engineVersion, gpuCount, startedAt, loaded);
  }

  /** A short human text for logs, e.g. {@code MXNet 1.9.1 on cpu()}. */
  public String describe() {
    return engine + " " + engineVersion + " on " + device;
  }
}

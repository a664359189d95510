package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonObject;

/** A model version a worker has loaded and serves, as its heartbeat announces it. */
public record LoadedModel(String modelId, String tenantId, String name, int version) {

  public JsonObject toJson() {
    return new JsonObject().put("model_id", modelId).put("tenant_id", tenantId).put("name", name).put("version", version);
  }

  static final Wire<LoadedModel> WIRE = new Wire<>(LoadedModel.class,
      (out, m) -> out.string(m.modelId()).string(m.tenantId()).string(m.name()).int32(m.version()),
      in -> new LoadedModel(in.string(), in.string(), in.string(), in.int32()));
}

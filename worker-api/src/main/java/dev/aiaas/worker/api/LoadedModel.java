package dev.aiaas.worker.api;

import io.vertx.core.json.JsonObject;

/** A model version a worker has loaded and serves, as its heartbeat announces it. */
public record LoadedModel(String modelId, String tenantId, String name, int version) {

  public JsonObject toJson() {
    return new JsonObject().put("model_id", modelId).put("tenant_id", tenantId).put("name", name).put("version", version);
  }

  public static LoadedModel fromJson(JsonObject json) {
    return new LoadedModel(json.getString("model_id"), json.getString("tenant_id"), json.getString("name"), json.getInteger("version"));
  }
}

package dev.aiaas.gateway.datasets;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's dataset as the API shows it. */
public record Dataset(UUID id, UUID tenantId, String name, String format, String status, long bytes, Integer rows,
    JsonArray schema, JsonArray preview, OffsetDateTime createdAt) {

  /** The list form: no preview. */
  public JsonObject summary() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("format", format)
        .put("status", status)
        .put("bytes", bytes)
        .put("rows", rows)
        .put("created_at", createdAt.toInstant().toString());
  }

  /** The detail form: schema (types, missing values, categories) and the first rows. */
  public JsonObject detail() {
    return summary().put("schema", schema).put("preview", preview);
  }
}

package dev.aiaas.gateway.alerts;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Optional;

/** A tenant's alert thresholds (percent per metric) and webhook; the signing secret is never part of it. */
public record AlertSettings(JsonObject thresholds, Optional<String> webhookUrl, Optional<OffsetDateTime> updatedAt) {

  /** What a tenant that never configured alerts has. */
  public static final AlertSettings NONE = new AlertSettings(new JsonObject(), Optional.empty(), Optional.empty());

  public JsonObject toJson() {
    return new JsonObject()
        .put("thresholds", thresholds.copy())
        .put("webhook_url", webhookUrl.orElse(null))
        .put("updated_at", updatedAt.map(t -> t.toInstant().toString()).orElse(null));
  }
}

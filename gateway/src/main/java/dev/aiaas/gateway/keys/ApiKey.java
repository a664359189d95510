package dev.aiaas.gateway.keys;

import dev.aiaas.gateway.auth.KeyScope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An API key as listed: never its secret, only the prefix that tells keys apart. */
public record ApiKey(UUID id, UUID tenantId, String name, String prefix, List<KeyScope> scopes, Optional<Instant> expiresAt,
    Instant createdAt, Optional<Instant> revokedAt, Optional<Instant> lastUsedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("prefix", prefix)
        .put("scopes", new JsonArray(scopes.stream().map(KeyScope::wireName).toList()))
        .put("expires_at", expiresAt.map(Instant::toString).orElse(null))
        .put("created_at", createdAt.toString())
        .put("revoked_at", revokedAt.map(Instant::toString).orElse(null))
        .put("last_used_at", lastUsedAt.map(Instant::toString).orElse(null));
  }
}

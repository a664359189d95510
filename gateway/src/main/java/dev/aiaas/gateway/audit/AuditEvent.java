package dev.aiaas.gateway.audit;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;

/**
 * One audit row: who did what to which target, from where. Built with {@link AuditLog#event}
 * and refined with the {@code with}-style methods.
 */
public record AuditEvent(
    Optional<UUID> tenantId,
    String actorType,
    Optional<UUID> actorId,
    String action,
    Optional<String> target,
    JsonObject details,
    Optional<String> ip,
    Optional<String> requestId) {

  /** The tenant whose audit log shows the event (admin actions name the tenant they touch). */
  public AuditEvent tenant(UUID tenant) {
    return new AuditEvent(Optional.of(tenant), actorType, actorId, action, target, details, ip, requestId);
  }

  public AuditEvent target(String what) {
    return new AuditEvent(tenantId, actorType, actorId, action, Optional.of(what), details, ip, requestId);
  }

  /** Adds a detail; never put a secret here. */
  public AuditEvent detail(String key, Object value) {
    return new AuditEvent(tenantId, actorType, actorId, action, target, details.copy().put(key, value), ip, requestId);
  }
}

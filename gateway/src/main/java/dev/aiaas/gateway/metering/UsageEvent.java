package dev.aiaas.gateway.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One metered fact. The event id makes recording idempotent: recording the same event twice
 * (a retry after a timeout) counts it once.
 */
public record UsageEvent(UUID eventId, UUID tenantId, Metric metric, BigDecimal quantity, Instant occurredAt,
    Optional<UUID> apiKeyId, Optional<String> model) {

  public static UsageEvent of(UUID tenantId, Metric metric, BigDecimal quantity, Instant at, Optional<UUID> apiKeyId, Optional<String> model) {
    return new UsageEvent(UUID.randomUUID(), tenantId, metric, quantity, at, apiKeyId, model);
  }
}

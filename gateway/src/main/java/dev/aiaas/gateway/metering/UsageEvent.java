package dev.aiaas.gateway.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One metered fact. The event id makes recording idempotent: recording the same event twice
 * (a retry after a timeout) counts it once. {@code jobId} names the training job or batch
 * prediction whose run the event meters.
 */
public record UsageEvent(UUID eventId, UUID tenantId, Metric metric, BigDecimal quantity, Instant occurredAt,
    Optional<UUID> apiKeyId, Optional<String> model, Optional<UUID> jobId) {

  /** An event of a call (no job). */
  public UsageEvent(UUID eventId, UUID tenantId, Metric metric, BigDecimal quantity, Instant occurredAt, Optional<UUID> apiKeyId,
      Optional<String> model) {
    this(eventId, tenantId, metric, quantity, occurredAt, apiKeyId, model, Optional.empty());
  }

  public static UsageEvent of(UUID tenantId, Metric metric, BigDecimal quantity, Instant at, Optional<UUID> apiKeyId, Optional<String> model) {
    return new UsageEvent(UUID.randomUUID(), tenantId, metric, quantity, at, apiKeyId, model);
  }
}

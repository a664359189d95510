package dev.aiaas.gateway.billing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's invoice for one period: a live {@code draft} until the period is closed, then
 * {@code final} and never changed. The total is the sum of the (rounded) lines.
 */
public record Invoice(UUID id, UUID tenantId, BillingPeriod period, String status, String currency, List<InvoiceLine> lines,
    Optional<Instant> finalizedAt) {

  public static final String DRAFT = "draft";
  public static final String FINAL = "final";

  /** The invoice id of a tenant's period: the same for the draft and the final invoice. */
  public static UUID idOf(UUID tenantId, BillingPeriod period) {
    return UUID.nameUUIDFromBytes(("aiaas-invoice:" + tenantId + ":" + period).getBytes(StandardCharsets.UTF_8));
  }

  public BigDecimal total() {
    return lines.stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("tenant_id", tenantId.toString())
        .put("period", period.toString())
        .put("status", status)
        .put("currency", currency)
        .put("period_start", period.start().toString())
        .put("period_end", period.end().toString())
        .put("finalized_at", finalizedAt.map(Instant::toString).orElse(null))
        .put("total", Money.format(total()))
        .put("lines", new JsonArray(lines.stream().map(l -> l.toJson(period)).toList()));
  }
}

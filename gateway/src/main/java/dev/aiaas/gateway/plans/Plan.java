package dev.aiaas.gateway.plans;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A plan: the limits (rate, quotas) and prices a tenant is held to. Immutable; the tenant cache
 * carries it, so every request sees its tenant's plan without a query.
 *
 * @param ratePerSecond requests per second allowed (absent: unlimited)
 * @param rateBurst how many requests may arrive at once before the rate applies
 * @param limits metric or resource name -> limit; an absent or null entry is unlimited
 * @param softLimits metrics whose quota may be exceeded (overage is billed) instead of refused
 * @param prices billing prices per metric, as stored (interpreted by billing)
 */
public record Plan(
    UUID id,
    String name,
    String currency,
    BigDecimal baseFee,
    Optional<Integer> ratePerSecond,
    Optional<Integer> rateBurst,
    JsonObject limits,
    List<String> softLimits,
    JsonObject prices,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** Limit names a plan may set (quota metrics and resource caps). */
  public static final List<String> LIMIT_NAMES = List.of(
      "api_calls", "predictions", "training_seconds", "storage_bytes", "concurrent_jobs", "deployed_models", "upload_bytes");

  /** The limit for {@code name}, or empty when unlimited. */
  public OptionalLong limit(String name) {
    Object value = limits.getValue(name);
    return value instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
  }

  public boolean isSoft(String metric) {
    return softLimits.contains(metric);
  }

  static Plan fromRow(Row row) {
    return fromRow(row, "");
  }

  /** Reads the plan columns, each named {@code prefix + column}. */
  static Plan fromRow(Row row, String prefix) {
    return new Plan(
        row.getUUID(prefix + "id"),
        row.getString(prefix + "name"),
        row.getString(prefix + "currency"),
        row.getBigDecimal(prefix + "base_fee"),
        Optional.ofNullable(row.getInteger(prefix + "rate_per_second")),
        Optional.ofNullable(row.getInteger(prefix + "rate_burst")),
        (JsonObject) row.getValue(prefix + "limits"),
        List.of(row.getArrayOfStrings(prefix + "soft_limits")),
        (JsonObject) row.getValue(prefix + "prices"),
        row.getOffsetDateTime(prefix + "created_at"),
        row.getOffsetDateTime(prefix + "updated_at"));
  }

  /** The API representation. */
  public JsonObject toJson() {
    JsonObject limitsOut = new JsonObject();
    LIMIT_NAMES.forEach(n -> limitsOut.put(n, limits.getValue(n)));
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("currency", currency)
        .put("base_fee", baseFee.toPlainString())
        .put("rate_limit", ratePerSecond.isEmpty() ? null
            : new JsonObject().put("requests_per_second", ratePerSecond.get()).put("burst", rateBurst.orElse(ratePerSecond.get())))
        .put("limits", limitsOut)
        .put("soft_limits", new JsonArray(softLimits))
        .put("prices", prices.copy())
        .put("created_at", createdAt.toInstant().toString())
        .put("updated_at", updatedAt.toInstant().toString());
  }
}

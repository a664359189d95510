package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.plans.Plan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What given usage would cost under a plan for a whole period, priced by the invoice code itself
 * ({@link InvoiceCalculator}, {@link PriceSheet}) so a preview and a later invoice cannot disagree.
 * Nothing is stored.
 */
public final class PlanPreview {

  private final Clock clock;

  public PlanPreview(Clock clock) {
    this.clock = clock;
  }

  /** The lines and total of a full period (the current month) on {@code plan} with {@code usage} (metric -> decimal string). */
  public JsonObject preview(Plan plan, JsonObject usage) {
    BillingPeriod period = BillingPeriod.containing(clock.instant());
    PlanSegment whole = new PlanSegment(plan, period.start(), period.end());
    InvoiceCalculator.SegmentUsage used = new InvoiceCalculator.SegmentUsage(whole, quantities(usage));
    List<InvoiceLine> lines = InvoiceCalculator.lines(period, List.of(used), List.of());
    BigDecimal total = lines.stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new JsonObject()
        .put("plan", plan.name())
        .put("period", period.toString())
        .put("currency", plan.currency())
        .put("total", Money.format(total))
        .put("lines", new JsonArray(lines.stream().map(l -> l.toJson(period)).toList()));
  }

  private static Map<String, BigDecimal> quantities(JsonObject usage) {
    Map<String, BigDecimal> quantities = new HashMap<>();
    if (usage == null) {
      return quantities;
    }
    for (String metric : usage.fieldNames()) {
      String field = "usage." + metric;
      if (!InvoiceCalculator.METRICS.contains(metric)) {
        throw invalid(field, "not a billed metric (" + String.join(", ", InvoiceCalculator.METRICS) + ")");
      }
      Object value = usage.getValue(metric);
      BigDecimal quantity;
      try {
        quantity = new BigDecimal(String.valueOf(value));
      } catch (NumberFormatException e) {
        throw invalid(field, "not a decimal number: " + value);
      }
      if (quantity.signum() < 0) {
        throw invalid(field, "must not be negative");
      }
      if (quantity.signum() > 0) {
        quantities.put(metric, quantity);
      }
    }
    return quantities;
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.badRequest("validation-failed", field + ": " + message)
        .withFieldErrors(new JsonArray().add(new JsonObject().put("field", field).put("message", message)));
  }

  /** The plan id of a preview request, if it names a stored plan. */
  static Optional<java.util.UUID> planId(JsonObject body) {
    return Optional.ofNullable(body.getString("plan_id")).map(java.util.UUID::fromString);
  }
}

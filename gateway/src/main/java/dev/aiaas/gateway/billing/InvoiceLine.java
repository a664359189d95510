package dev.aiaas.gateway.billing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One line of an invoice. {@code amount} is rounded once ({@link Money}); for usage it is the
 * rounded exact sum of {@code tiers}, each tier's amount being its quantity times its unit price.
 *
 * @param kind {@code base_fee}, {@code usage}, {@code late_usage}, {@code adjustment},
 *     {@code credit_brought_forward} or {@code credit_carried_forward}
 * @param usagePeriod the period the usage happened in: the invoice's own, or an earlier closed one
 *     for late usage
 * @param from start of the time the line covers (base fee: the plan in force; usage: the plan segment)
 * @param unitPrice the price per unit when one price applied to the whole quantity
 * @param creditPeriod for a carried credit, the other end of the carry: the period it came from
 *     (brought forward) or the period it goes to (carried forward)
 */
public record InvoiceLine(
    String kind,
    Optional<String> metric,
    Optional<BillingPeriod> usagePeriod,
    Optional<String> plan,
    Optional<Instant> from,
    Optional<Instant> to,
    BigDecimal quantity,
    Optional<BigDecimal> unitPrice,
    List<TierCharge> tiers,
    BigDecimal amount,
    Optional<String> reason,
    Optional<BillingPeriod> creditPeriod) {

  public static final String BASE_FEE = "base_fee";
  public static final String USAGE = "usage";
  public static final String LATE_USAGE = "late_usage";
  public static final String ADJUSTMENT = "adjustment";
  /** A credit left over by an earlier invoice, applied here (negative). */
  public static final String CREDIT_BROUGHT_FORWARD = "credit_brought_forward";
  /** The credit this invoice could not use, moved to a later period so the total stays at zero (positive). */
  public static final String CREDIT_CARRIED_FORWARD = "credit_carried_forward";

  /** What a usage line counts, said on the line itself, so a reader knows what was billed without the docs. */
  static final Map<String, String> USAGE_DESCRIPTIONS = Map.of(
      "api_calls", "calls authenticated by an API key and answered with success",
      "predictions", "instances answered, online and by succeeded batch predictions",
      "explanations", "instances explained (each also counted as a prediction)",
      "training_seconds", "wall-clock training time per device of every run that ended, succeeded, failed or cancelled"
          + " (the device was busy either way)",
      "storage_gb_months", "average bytes stored over the period (datasets, model artifacts, batch prediction results), in GB-months");

  /** A usage line priced tier by tier. */
  static InvoiceLine usage(String kind, String metric, BillingPeriod usagePeriod, PlanSegment segment, BigDecimal quantity,
      List<TierCharge> tiers) {
    Optional<BigDecimal> unitPrice = tiers.size() == 1 ? Optional.of(tiers.get(0).unitPrice()) : Optional.empty();
    return new InvoiceLine(kind, Optional.of(metric), Optional.of(usagePeriod), Optional.of(segment.plan().name()),
        Optional.of(segment.from()), Optional.of(segment.to()), quantity, unitPrice, List.copyOf(tiers),
        Money.round(PriceSheet.exactAmount(tiers)), Optional.empty(), Optional.empty());
  }

  /** A credit (negative) or adjustment added by an operator, with the reason given. */
  public static InvoiceLine adjustment(BigDecimal amount, String reason) {
    return new InvoiceLine(ADJUSTMENT, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        BigDecimal.ONE, Optional.of(amount), List.of(), Money.round(amount), Optional.of(reason), Optional.empty());
  }

  /** A credit of {@code from}'s invoice applied to this one: {@code credit} (positive) as a negative amount. */
  static InvoiceLine creditBroughtForward(BillingPeriod from, BigDecimal credit) {
    return credit(CREDIT_BROUGHT_FORWARD, from, credit.negate(), "credit carried from " + from);
  }

  /** The unused {@code credit} (positive) of this invoice moved to {@code to}'s invoice. */
  static InvoiceLine creditCarriedForward(BillingPeriod to, BigDecimal credit) {
    return credit(CREDIT_CARRIED_FORWARD, to, credit, "credit carried to " + to);
  }

  private static InvoiceLine credit(String kind, BillingPeriod other, BigDecimal amount, String reason) {
    return new InvoiceLine(kind, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        BigDecimal.ONE, Optional.of(amount), List.of(), amount, Optional.of(reason), Optional.of(other));
  }

  /** The period a carried-forward credit goes to. */
  public Optional<BillingPeriod> carriedTo() {
    return kind.equals(CREDIT_CARRIED_FORWARD) ? creditPeriod : Optional.empty();
  }

  /** The period a brought-forward credit came from. */
  public Optional<BillingPeriod> carriedFrom() {
    return kind.equals(CREDIT_BROUGHT_FORWARD) ? creditPeriod : Optional.empty();
  }

  public JsonObject toJson(BillingPeriod invoicePeriod) {
    JsonObject json = new JsonObject()
        .put("type", kind)
        .put("metric", metric.orElse(null))
        .put("plan", plan.orElse(null))
        .put("from", from.map(Instant::toString).orElse(null))
        .put("to", to.map(Instant::toString).orElse(null))
        .put("quantity", Money.plain(quantity))
        .put("unit_price", unitPrice.map(Money::plain).orElse(null))
        .put("tiers", new JsonArray(tiers.stream().map(TierCharge::toJson).toList()))
        .put("amount", Money.format(amount));
    metric.map(USAGE_DESCRIPTIONS::get).ifPresent(d -> json.put("description", d));
    if (kind.equals(LATE_USAGE)) {
      json.put("late_from", usagePeriod.map(BillingPeriod::toString).orElse(null));
    }
    if (kind.equals(BASE_FEE) && from.isPresent() && to.isPresent()) {
      json.put("proration", new JsonObject()
          .put("seconds", to.get().getEpochSecond() - from.get().getEpochSecond())
          .put("period_seconds", invoicePeriod.seconds()));
    }
    carriedTo().ifPresent(p -> json.put("carried_to", p.toString()));
    carriedFrom().ifPresent(p -> json.put("carried_from", p.toString()));
    reason.ifPresent(r -> json.put("reason", r));
    return json;
  }
}

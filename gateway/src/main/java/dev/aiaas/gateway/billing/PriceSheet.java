package dev.aiaas.gateway.billing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The price of one metric on one plan as graduated tiers (Stripe's "graduated" mode): each unit is
 * priced by the tier its position in the period's running total falls in. {@code included} units
 * are a first tier at price 0; a bare {@code unit_price} is one unbounded tier; a metric without a
 * price is one free tier (metered, not charged).
 */
public record PriceSheet(List<Tier> tiers) {

  /** Units in {@code (from, upTo]} of the period's running total cost {@code unitPrice} each. */
  public record Tier(BigDecimal from, Optional<BigDecimal> upTo, BigDecimal unitPrice) {}

  public static final PriceSheet FREE = new PriceSheet(List.of(new Tier(BigDecimal.ZERO, Optional.empty(), BigDecimal.ZERO)));

  /** The sheet of {@code metric} in a plan's {@code prices} object. */
  public static PriceSheet of(JsonObject prices, String metric) {
    JsonObject price = prices == null ? null : prices.getJsonObject(metric);
    return price == null ? FREE : parse(price);
  }

  /** Reads one price as plans store it ({@code included}, then {@code unit_price} or {@code tiers}). */
  public static PriceSheet parse(JsonObject price) {
    List<Tier> tiers = new ArrayList<>();
    BigDecimal lower = BigDecimal.ZERO;
    long included = price.getLong("included", 0L);
    if (included > 0) {
      lower = BigDecimal.valueOf(included);
      tiers.add(new Tier(BigDecimal.ZERO, Optional.of(lower), BigDecimal.ZERO));
    }
    JsonArray graduated = price.getJsonArray("tiers");
    if (graduated == null) {
      tiers.add(new Tier(lower, Optional.empty(), new BigDecimal(price.getString("unit_price", "0"))));
      return new PriceSheet(List.copyOf(tiers));
    }
    for (int i = 0; i < graduated.size(); i++) {
      JsonObject tier = graduated.getJsonObject(i);
      Optional<BigDecimal> upTo = Optional.ofNullable(tier.getValue("up_to")).map(v -> BigDecimal.valueOf(((Number) v).longValue()));
      tiers.add(new Tier(lower, upTo, new BigDecimal(tier.getString("unit_price"))));
      if (upTo.isEmpty()) {
        return new PriceSheet(List.copyOf(tiers));
      }
      lower = upTo.get();
    }
    // Units beyond the last bounded tier keep its price (the plan API requires a null last tier; old data may not have one).
    tiers.add(new Tier(lower, Optional.empty(), tiers.get(tiers.size() - 1).unitPrice()));
    return new PriceSheet(List.copyOf(tiers));
  }

  /**
   * What the units at positions {@code (from, from + quantity]} of the period's running total
   * cost, tier by tier, exactly (no rounding).
   */
  public List<TierCharge> charge(BigDecimal from, BigDecimal quantity) {
    BigDecimal to = from.add(quantity);
    List<TierCharge> charges = new ArrayList<>();
    for (Tier tier : tiers) {
      BigDecimal lo = tier.from().max(from);
      BigDecimal hi = tier.upTo().map(u -> u.min(to)).orElse(to);
      if (hi.compareTo(lo) > 0) {
        BigDecimal units = hi.subtract(lo);
        charges.add(new TierCharge(tier.from(), tier.upTo(), units, tier.unitPrice(), units.multiply(tier.unitPrice())));
      }
    }
    return charges;
  }

  /** The exact sum of {@code charges}. */
  public static BigDecimal exactAmount(List<TierCharge> charges) {
    return charges.stream().map(TierCharge::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}

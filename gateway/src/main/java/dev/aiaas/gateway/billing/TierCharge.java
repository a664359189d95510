package dev.aiaas.gateway.billing;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The units of one line that fell into one price tier: {@code quantity} units at {@code unitPrice},
 * with the exact (unrounded) amount.
 *
 * @param from the tier's lower bound (exclusive, in the period's running total)
 * @param upTo the tier's upper bound (inclusive), empty for the unbounded last tier
 */
public record TierCharge(BigDecimal from, Optional<BigDecimal> upTo, BigDecimal quantity, BigDecimal unitPrice, BigDecimal amount) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("from", Money.plain(from))
        .put("up_to", upTo.map(Money::plain).orElse(null))
        .put("quantity", Money.plain(quantity))
        .put("unit_price", Money.plain(unitPrice))
        .put("amount", Money.plain(amount));
  }

  public static TierCharge fromJson(JsonObject json) {
    return new TierCharge(new BigDecimal(json.getString("from")), Optional.ofNullable(json.getString("up_to")).map(BigDecimal::new),
        new BigDecimal(json.getString("quantity")), new BigDecimal(json.getString("unit_price")), new BigDecimal(json.getString("amount")));
  }
}

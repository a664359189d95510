package dev.aiaas.gateway.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pricing by graduated tiers, included units and the one rounding rule. */
class PriceSheetTest {

  /** The contract's example price: 1000 included, then 0.0010 up to 10 000, then 0.0008. */
  static final JsonObject PREDICTIONS = new JsonObject("""
      {"included": 1000, "tiers": [{"up_to": 10000, "unit_price": "0.0010"}, {"up_to": null, "unit_price": "0.0008"}]}""");

  private static BigDecimal amount(PriceSheet sheet, String from, String quantity) {
    return Money.round(PriceSheet.exactAmount(sheet.charge(new BigDecimal(from), new BigDecimal(quantity))));
  }

  /** Verifies that included units are free and the next ones cost the first tier's price. */
  @Test
  void includedUnitsAreFree() {
    PriceSheet sheet = PriceSheet.parse(PREDICTIONS);
    assertEquals(new BigDecimal("0.000000"), amount(sheet, "0", "1000"));
    assertEquals(new BigDecimal("0.120000"), amount(sheet, "0", "1120"));
  }

  /** Verifies that units past a tier's up_to are priced by the next tier (Stripe's graduated mode). */
  @Test
  void graduatedTiers() {
    PriceSheet sheet = PriceSheet.parse(PREDICTIONS);
    List<TierCharge> charges = sheet.charge(BigDecimal.ZERO, new BigDecimal("15000"));
    assertEquals(3, charges.size());
    assertEquals(new BigDecimal("1000"), charges.get(0).quantity());
    assertEquals(new BigDecimal("9000"), charges.get(1).quantity());
    assertEquals(new BigDecimal("5000"), charges.get(2).quantity());
    // 9000 x 0.0010 + 5000 x 0.0008, exactly
    assertEquals(0, new BigDecimal("13").compareTo(PriceSheet.exactAmount(charges)));
    assertEquals(new BigDecimal("13.000000"), amount(sheet, "0", "15000"));
  }

  /** Verifies that a charge starting mid-way (a later plan segment, late usage) continues the period's count. */
  @Test
  void continuesFromAPosition() {
    PriceSheet sheet = PriceSheet.parse(PREDICTIONS);
    List<TierCharge> charges = sheet.charge(new BigDecimal("9500"), new BigDecimal("1000"));
    assertEquals(2, charges.size());
    assertEquals(new BigDecimal("500"), charges.get(0).quantity());
    assertEquals(new BigDecimal("500"), charges.get(1).quantity());
    assertEquals(new BigDecimal("0.900000"), amount(sheet, "9500", "1000"));
  }

  /** Verifies that a bare unit price is one tier, also for fractional quantities, and a missing price is free. */
  @Test
  void flatAndFree() {
    PriceSheet seconds = PriceSheet.parse(new JsonObject().put("unit_price", "0.0020"));
    assertEquals(new BigDecimal("7.201000"), amount(seconds, "0", "3600.5"));
    PriceSheet withIncluded = PriceSheet.parse(new JsonObject().put("included", 100).put("unit_price", "0.5"));
    assertEquals(new BigDecimal("5.000000"), amount(withIncluded, "0", "110"));
    assertEquals(new BigDecimal("0.000000"), amount(PriceSheet.of(new JsonObject(), "api_calls"), "0", "123456"));
  }

  /** Verifies that a line is rounded once, half to even, at 6 decimals, not tier by tier. */
  @Test
  void roundsOncePerLineHalfEven() {
    assertEquals(new BigDecimal("0.000002"), Money.round(new BigDecimal("0.0000025")));
    assertEquals(new BigDecimal("0.000004"), Money.round(new BigDecimal("0.0000035")));
    // two tiers of 0.0000003 each: rounding per tier would give 0, once per line gives 0.000001
    PriceSheet tiny = PriceSheet.parse(new JsonObject("""
        {"tiers": [{"up_to": 1, "unit_price": "0.0000003"}, {"up_to": null, "unit_price": "0.0000003"}]}"""));
    assertEquals(new BigDecimal("0.000001"), amount(tiny, "0", "2"));
  }
}

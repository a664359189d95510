package dev.aiaas.gateway.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.plans.Plan;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Invoice lines from plan segments and usage: proration, tiers across plan changes, late usage, carried credit. */
class InvoiceCalculatorTest {

  private static final BillingPeriod NOVEMBER = new BillingPeriod(YearMonth.of(2026, 11));

  private static Plan plan(String name, String baseFee, JsonObject prices) {
    OffsetDateTime t = OffsetDateTime.parse("2026-01-01T00:00:00Z");
    return new Plan(UUID.randomUUID(), name, "USD", new BigDecimal(baseFee), Optional.empty(), Optional.empty(), new JsonObject(),
        List.of(), prices, t, t);
  }

  private static final Plan PRO = plan("pro", "49.00", new JsonObject().put("predictions", PriceSheetTest.PREDICTIONS.copy()));
  private static final Plan SCALE = plan("scale", "99.00", new JsonObject()
      .put("predictions", new JsonObject().put("included", 1000).put("unit_price", "0.0020"))
      .put("storage_gb_months", new JsonObject().put("unit_price", "0.10")));

  /** Verifies that one plan for the whole period bills its full base fee and its tiers. */
  @Test
  void wholePeriodOnePlan() {
    PlanSegment all = new PlanSegment(PRO, NOVEMBER.start(), NOVEMBER.end());
    List<InvoiceLine> lines = InvoiceCalculator.lines(NOVEMBER,
        List.of(new InvoiceCalculator.SegmentUsage(all, Map.of("predictions", new BigDecimal("1120")))), List.of());
    assertEquals(2, lines.size());
    assertEquals(InvoiceLine.BASE_FEE, lines.get(0).kind());
    assertEquals(new BigDecimal("49.000000"), lines.get(0).amount());
    assertEquals(new BigDecimal("0.120000"), lines.get(1).amount());
    assertEquals(new BigDecimal("49.120000"), lines.stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  /**
   * Verifies that a mid-period plan change pro-rates each base fee by the seconds in force and
   * prices each segment's usage by its plan, the tiers counting the period's running total.
   */
  @Test
  void planChangeMidPeriod() {
    Instant change = NOVEMBER.start().plus(Duration.ofDays(10));
    PlanSegment first = new PlanSegment(PRO, NOVEMBER.start(), change);
    PlanSegment second = new PlanSegment(SCALE, change, NOVEMBER.end());
    List<InvoiceLine> lines = InvoiceCalculator.lines(NOVEMBER, List.of(
        new InvoiceCalculator.SegmentUsage(first, Map.of("predictions", new BigDecimal("800"))),
        new InvoiceCalculator.SegmentUsage(second, Map.of("predictions", new BigDecimal("700")))), List.of());
    assertEquals(4, lines.size());
    assertEquals(new BigDecimal("16.333333"), lines.get(0).amount()); // 49 x 10/30
    assertEquals(new BigDecimal("66.000000"), lines.get(1).amount()); // 99 x 20/30
    assertEquals(new BigDecimal("0.000000"), lines.get(2).amount()); // 800 within pro's 1000 included
    // units 801..1500 on scale: 801..1000 within scale's included, 1001..1500 at 0.0020
    InvoiceLine onScale = lines.get(3);
    assertEquals("scale", onScale.plan().orElseThrow());
    assertEquals(new BigDecimal("1.000000"), onScale.amount());
    assertEquals(new BigDecimal("200"), onScale.tiers().get(0).quantity());
  }

  /**
   * Verifies that explanations are their own usage line, after predictions: priced by a plan that
   * prices them, and on the invoice at 0 under a plan that does not.
   */
  @Test
  void explanationsArePricedOnTheirOwn() {
    Plan explaining = plan("explaining", "0", new JsonObject()
        .put("explanations", new JsonObject().put("included", 10).put("unit_price", "0.01")));
    Map<String, BigDecimal> usage = Map.of("predictions", new BigDecimal("50"), "explanations", new BigDecimal("50"));
    List<InvoiceLine> priced = InvoiceCalculator.lines(NOVEMBER, List.of(new InvoiceCalculator.SegmentUsage(
        new PlanSegment(explaining, NOVEMBER.start(), NOVEMBER.end()), usage)), List.of());
    assertEquals(List.of(Optional.of("predictions"), Optional.of("explanations")), priced.stream().map(InvoiceLine::metric).toList());
    assertEquals(new BigDecimal("0.400000"), priced.get(1).amount()); // 40 beyond the 10 included, at 0.01
    assertEquals(new BigDecimal("0.000000"), priced.get(0).amount());

    List<InvoiceLine> unpriced = InvoiceCalculator.lines(NOVEMBER, List.of(new InvoiceCalculator.SegmentUsage(
        new PlanSegment(PRO, NOVEMBER.start(), NOVEMBER.end()), usage)), List.of());
    InvoiceLine free = unpriced.stream().filter(l -> l.metric().equals(Optional.of("explanations"))).findFirst().orElseThrow();
    assertEquals(0, BigDecimal.ZERO.compareTo(free.amount()), "unpriced explanations are free");
    assertTrue(free.toJson(NOVEMBER).getString("description").contains("explained"), free.toJson(NOVEMBER).encode());
  }

  /** Verifies that late usage continues the closed period's count, after what its invoice billed. */
  @Test
  void lateUsageContinuesTheClosedPeriod() {
    BillingPeriod october = NOVEMBER.previous();
    PlanSegment octoberAll = new PlanSegment(PRO, october.start(), october.end());
    List<InvoiceLine> lines = InvoiceCalculator.lines(NOVEMBER, List.of(), List.of(new InvoiceCalculator.LateSource(october,
        Map.of("predictions", new BigDecimal("15000")),
        List.of(new InvoiceCalculator.SegmentUsage(octoberAll, Map.of("predictions", new BigDecimal("100")))))));
    assertEquals(1, lines.size());
    InvoiceLine late = lines.get(0);
    assertEquals(InvoiceLine.LATE_USAGE, late.kind());
    assertEquals(october, late.usagePeriod().orElseThrow());
    assertEquals(new BigDecimal("0.080000"), late.amount());
    assertEquals("2026-10", late.toJson(NOVEMBER).getString("late_from"));
  }

  /** Verifies that storage is GB-months of 10^9 bytes from byte-seconds, priced like any metric. */
  @Test
  void storageGbMonths() {
    BigDecimal oneGbAllMonth = BigDecimal.valueOf(1_000_000_000L).multiply(BigDecimal.valueOf(NOVEMBER.seconds()));
    assertEquals(new BigDecimal("1.000000000"), InvoiceCalculator.gbMonths(oneGbAllMonth, NOVEMBER));
    BigDecimal half = InvoiceCalculator.gbMonths(oneGbAllMonth.divide(BigDecimal.valueOf(2)), NOVEMBER);
    assertEquals(new BigDecimal("0.500000000"), half);
    PlanSegment all = new PlanSegment(SCALE, NOVEMBER.start(), NOVEMBER.end());
    List<InvoiceLine> lines = InvoiceCalculator.lines(NOVEMBER,
        List.of(new InvoiceCalculator.SegmentUsage(all, Map.of("storage_gb_months", new BigDecimal("2.5")))), List.of());
    assertTrue(lines.stream().anyMatch(l -> l.metric().equals(Optional.of("storage_gb_months"))
        && l.amount().equals(new BigDecimal("0.250000"))));
  }

  private static final BillingPeriod DECEMBER = NOVEMBER.next();

  private static List<InvoiceLine> novemberCharges() {
    PlanSegment all = new PlanSegment(PRO, NOVEMBER.start(), NOVEMBER.end());
    // 49 base fee + 120 predictions over the included 1000 at 0.0010 = 49.120000
    return InvoiceCalculator.lines(NOVEMBER,
        List.of(new InvoiceCalculator.SegmentUsage(all, Map.of("predictions", new BigDecimal("1120")))), List.of());
  }

  private static BigDecimal total(List<InvoiceLine> lines) {
    return lines.stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /**
   * Verifies that a credit larger than the charges leaves a total of exactly zero and carries the
   * excess, to the cent and beyond, to the next period as a line of its own.
   */
  @Test
  void creditLargerThanTheChargesIsCarriedForward() {
    List<InvoiceLine> lines = new java.util.ArrayList<>(novemberCharges());
    lines.add(InvoiceLine.adjustment(new BigDecimal("-60.000001"), "outage credit"));

    List<InvoiceLine> settled = InvoiceCalculator.settle(lines, "USD", List.of(), DECEMBER);

    assertEquals(lines.size() + 1, settled.size());
    assertEquals(lines, settled.subList(0, lines.size()));
    InvoiceLine carried = settled.get(settled.size() - 1);
    assertEquals(InvoiceLine.CREDIT_CARRIED_FORWARD, carried.kind());
    assertEquals(new BigDecimal("10.880001"), carried.amount()); // 60.000001 - 49.120000
    assertEquals(Optional.of(DECEMBER), carried.carriedTo());
    assertEquals(Optional.of("credit carried to 2026-12"), carried.reason());
    assertEquals(0, total(settled).signum());
    JsonObject json = carried.toJson(NOVEMBER);
    assertEquals("credit_carried_forward", json.getString("type"));
    assertEquals("10.880001", json.getString("amount"));
    assertEquals("2026-12", json.getString("carried_to"));
    assertEquals("0.000000", new Invoice(UUID.randomUUID(), UUID.randomUUID(), NOVEMBER, Invoice.DRAFT, "USD", settled,
        Optional.empty()).toJson().getString("total"));
  }

  /** Verifies that an invoice whose charges cover its credits is left as it is: nothing carries. */
  @Test
  void creditWithinTheChargesCarriesNothing() {
    List<InvoiceLine> lines = new java.util.ArrayList<>(novemberCharges());
    lines.add(InvoiceLine.adjustment(new BigDecimal("-49.12"), "exactly the charges"));
    List<InvoiceLine> settled = InvoiceCalculator.settle(lines, "USD", List.of(), DECEMBER);
    assertEquals(lines, settled);
    assertEquals(0, total(settled).signum());
  }

  /**
   * Verifies that the next period's invoice opens with the carried credit, a negative line naming
   * where it came from, and that what it cannot use is carried on again.
   */
  @Test
  void broughtForwardCreditIsSpentThenCarriedOn() {
    InvoiceCalculator.CarriedCredit fromOctober = new InvoiceCalculator.CarriedCredit(NOVEMBER.previous(), "USD", new BigDecimal("20.000000"));
    List<InvoiceLine> partly = InvoiceCalculator.settle(novemberCharges(), "USD", List.of(fromOctober), DECEMBER);
    assertEquals(novemberCharges().size() + 1, partly.size());
    InvoiceLine brought = partly.get(0);
    assertEquals(InvoiceLine.CREDIT_BROUGHT_FORWARD, brought.kind());
    assertEquals(new BigDecimal("-20.000000"), brought.amount());
    assertEquals(Optional.of(NOVEMBER.previous()), brought.carriedFrom());
    assertEquals(Optional.of("credit carried from 2026-10"), brought.reason());
    assertEquals("2026-10", brought.toJson(NOVEMBER).getString("carried_from"));
    assertEquals(new BigDecimal("29.120000"), total(partly));

    InvoiceCalculator.CarriedCredit large = new InvoiceCalculator.CarriedCredit(NOVEMBER.previous(), "USD", new BigDecimal("100.5"));
    List<InvoiceLine> again = InvoiceCalculator.settle(novemberCharges(), "USD", List.of(large), DECEMBER);
    assertEquals(InvoiceLine.CREDIT_BROUGHT_FORWARD, again.get(0).kind());
    InvoiceLine onward = again.get(again.size() - 1);
    assertEquals(InvoiceLine.CREDIT_CARRIED_FORWARD, onward.kind());
    assertEquals(0, new BigDecimal("51.38").compareTo(onward.amount())); // 100.50 - 49.12
    assertEquals(0, total(again).signum());
  }

  /** Verifies that a credit in another currency than the invoice's is not spent on it. */
  @Test
  void creditInAnotherCurrencyIsNotSpent() {
    InvoiceCalculator.CarriedCredit euros = new InvoiceCalculator.CarriedCredit(NOVEMBER.previous(), "EUR", new BigDecimal("20"));
    List<InvoiceLine> settled = InvoiceCalculator.settle(novemberCharges(), "USD", List.of(euros), DECEMBER);
    assertEquals(novemberCharges(), settled);
  }

  /** Verifies that a credit goes to the next period still open, past periods already closed out of order. */
  @Test
  void creditGoesToTheNextOpenPeriod() {
    assertEquals(DECEMBER, InvoiceCalculator.carryTarget(Set.of(), NOVEMBER));
    assertEquals(DECEMBER, InvoiceCalculator.carryTarget(Set.of(NOVEMBER, NOVEMBER.previous()), NOVEMBER));
    assertEquals(DECEMBER.next(), InvoiceCalculator.carryTarget(Set.of(DECEMBER), NOVEMBER));
    assertEquals(DECEMBER.next().next(), InvoiceCalculator.carryTarget(Set.of(DECEMBER, DECEMBER.next()), NOVEMBER));
  }
}

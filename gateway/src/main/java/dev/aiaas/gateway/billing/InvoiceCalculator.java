package dev.aiaas.gateway.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a tenant's usage and plan history for one period into invoice lines (pure, no I/O).
 *
 * <p>Rules: the base fee of each plan is pro-rated by the seconds it was in force in the period.
 * Usage is priced by the plan in force when it happened; a metric's tiers count the period's
 * running total across plan segments in time order, so units used under the second plan continue
 * where the first plan's units stopped (the second plan's tiers apply to them). Late usage of a
 * closed period continues that period's count after everything already billed for it, priced by
 * the plan in force when it happened.
 *
 * <p>A total never goes below zero (Stripe's customer credit balance): credits an invoice cannot
 * use are carried, as a line of their own, to the next period that is still open, whose invoice
 * starts with them.
 */
public final class InvoiceCalculator {

  /** The metrics an invoice prices, in line order, as named in plan prices. */
  public static final List<String> METRICS = List.of("api_calls", "predictions", "explanations", "training_seconds",
      "storage_gb_months");

  /** Decimals a measured GB-month quantity is stated to (before it is priced). */
  public static final int GB_MONTH_SCALE = 9;

  private static final BigDecimal BYTES_PER_GB = BigDecimal.TEN.pow(9);

  private InvoiceCalculator() {}

  /** One plan segment and what was used during it, by billing metric. */
  public record SegmentUsage(PlanSegment segment, Map<String, BigDecimal> quantities) {

    BigDecimal of(String metric) {
      return quantities.getOrDefault(metric, BigDecimal.ZERO);
    }
  }

  /**
   * Usage of a closed period not billed by its invoice (it was recorded after the close).
   *
   * @param billed per metric, the quantity already billed for that period (by its invoice and earlier late lines)
   */
  public record LateSource(BillingPeriod period, Map<String, BigDecimal> billed, List<SegmentUsage> unbilled) {}

  /**
   * A credit an earlier period's final invoice carried forward to this one.
   *
   * @param credit what is left of the credit, positive
   */
  public record CarriedCredit(BillingPeriod from, String currency, BigDecimal credit) {}

  /**
   * Settles an invoice's balance as a statement does: the credits brought forward in {@code
   * currency} open it (a credit in another currency cannot be spent here and is left out), then
   * {@code lines}, then, if all add up to less than zero, a line carrying the excess to {@code
   * carryTo} so that the total is exactly zero. Amounts are already rounded, so the carried credit
   * is exact.
   */
  public static List<InvoiceLine> settle(List<InvoiceLine> lines, String currency, List<CarriedCredit> broughtForward,
      BillingPeriod carryTo) {
    List<InvoiceLine> settled = new ArrayList<>();
    for (CarriedCredit credit : broughtForward) {
      if (credit.currency().equals(currency) && credit.credit().signum() > 0) {
        settled.add(InvoiceLine.creditBroughtForward(credit.from(), credit.credit()));
      }
    }
    settled.addAll(lines);
    BigDecimal balance = settled.stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    if (balance.signum() < 0) {
      settled.add(InvoiceLine.creditCarriedForward(carryTo, balance.negate()));
    }
    return List.copyOf(settled);
  }

  /**
   * Where {@code period}'s unused credit goes: the first later period not closed yet, so it lands
   * on an invoice that can still change (periods may be closed out of order).
   */
  public static BillingPeriod carryTarget(Set<BillingPeriod> closed, BillingPeriod period) {
    BillingPeriod target = period.next();
    while (closed.contains(target)) {
      target = target.next();
    }
    return target;
  }

  /** The computed lines of {@code period}: base fees, then usage per metric, then late usage. */
  public static List<InvoiceLine> lines(BillingPeriod period, List<SegmentUsage> segments, List<LateSource> late) {
    List<InvoiceLine> lines = new ArrayList<>();
    for (SegmentUsage s : segments) {
      baseFee(period, s.segment()).ifPresent(lines::add);
    }
    for (String metric : METRICS) {
      lines.addAll(usage(InvoiceLine.USAGE, metric, period, BigDecimal.ZERO, segments));
    }
    for (LateSource source : late) {
      for (String metric : METRICS) {
        lines.addAll(usage(InvoiceLine.LATE_USAGE, metric, source.period(), source.billed().getOrDefault(metric, BigDecimal.ZERO),
            source.unbilled()));
      }
    }
    return lines;
  }

  /** The plan's base fee times the share of the period it was in force, rounded once. */
  static Optional<InvoiceLine> baseFee(BillingPeriod period, PlanSegment segment) {
    BigDecimal fee = segment.plan().baseFee();
    if (fee.signum() == 0 || segment.seconds() <= 0) {
      return Optional.empty();
    }
    BigDecimal seconds = BigDecimal.valueOf(segment.seconds());
    BigDecimal periodSeconds = BigDecimal.valueOf(period.seconds());
    BigDecimal amount = fee.multiply(seconds).divide(periodSeconds, Money.SCALE, Money.ROUNDING);
    BigDecimal share = seconds.compareTo(periodSeconds) == 0 ? BigDecimal.ONE : seconds.divide(periodSeconds, 9, RoundingMode.HALF_EVEN);
    return Optional.of(new InvoiceLine(InvoiceLine.BASE_FEE, Optional.empty(), Optional.of(period), Optional.of(segment.plan().name()),
        Optional.of(segment.from()), Optional.of(segment.to()), share, Optional.of(fee), List.of(), amount, Optional.empty(),
        Optional.empty()));
  }

  private static List<InvoiceLine> usage(String kind, String metric, BillingPeriod usagePeriod, BigDecimal alreadyCounted,
      List<SegmentUsage> segments) {
    List<InvoiceLine> lines = new ArrayList<>();
    BigDecimal running = alreadyCounted;
    for (SegmentUsage s : segments) {
      BigDecimal quantity = s.of(metric);
      if (quantity.signum() <= 0) {
        continue;
      }
      PriceSheet sheet = PriceSheet.of(s.segment().plan().prices(), metric);
      lines.add(InvoiceLine.usage(kind, metric, usagePeriod, s.segment(), quantity, sheet.charge(running, quantity)));
      running = running.add(quantity);
    }
    return lines;
  }

  /**
   * GB-months from a storage integral: byte-seconds over (10^9 bytes x the period's seconds),
   * stated to {@value #GB_MONTH_SCALE} decimals. A GB is 10^9 bytes.
   */
  public static BigDecimal gbMonths(BigDecimal byteSeconds, BillingPeriod period) {
    return byteSeconds.divide(BYTES_PER_GB.multiply(BigDecimal.valueOf(period.seconds())), GB_MONTH_SCALE, RoundingMode.HALF_EVEN);
  }
}

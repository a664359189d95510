package dev.aiaas.gateway.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rounding rule of billing: a line's amount is computed exactly and rounded once, to
 * {@value #SCALE} decimals, half to even; an invoice total is the sum of its rounded lines.
 */
public final class Money {

  public static final int SCALE = 6;

  public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

  private Money() {}

  /** Rounds an exact line amount, the only place amounts are rounded. */
  public static BigDecimal round(BigDecimal exact) {
    return exact.setScale(SCALE, ROUNDING);
  }

  /** The wire form of an amount: a plain decimal string with {@value #SCALE} decimals. */
  public static String format(BigDecimal amount) {
    return amount.setScale(SCALE, ROUNDING).toPlainString();
  }

  /** The wire form of a quantity or price: plain, without trailing zeros. */
  public static String plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
  }
}

package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.http.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A billing period: one calendar month in UTC, written {@code YYYY-MM}. */
public record BillingPeriod(YearMonth month) implements Comparable<BillingPeriod> {

  /** Parses {@code YYYY-MM}; anything else is a 400 naming {@code field}. */
  public static BillingPeriod parse(String text, String field) {
    try {
      if (text == null || !text.matches("[0-9]{4}-[0-9]{2}")) {
        throw new DateTimeParseException("not YYYY-MM", String.valueOf(text), 0);
      }
      return new BillingPeriod(YearMonth.parse(text));
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("validation-failed", field + ": not a period YYYY-MM: " + text);
    }
  }

  public static BillingPeriod containing(Instant instant) {
    return new BillingPeriod(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
  }

  public Instant start() {
    return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** The first instant after the period. */
  public Instant end() {
    return next().start();
  }

  public long seconds() {
    return Duration.between(start(), end()).getSeconds();
  }

  public BillingPeriod next() {
    return new BillingPeriod(month.plusMonths(1));
  }

  public BillingPeriod previous() {
    return new BillingPeriod(month.minusMonths(1));
  }

  /** Whether the period is over at {@code now}: only then can it be closed. */
  public boolean endedBy(Instant now) {
    return !end().isAfter(now);
  }

  @Override
  public int compareTo(BillingPeriod other) {
    return month.compareTo(other.month);
  }

  @Override
  public String toString() {
    return month.toString();
  }
}

package dev.aiaas.gateway.quota;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** A quota period: a calendar month in UTC. */
public record QuotaPeriod(YearMonth month) {

  public static QuotaPeriod containing(Instant instant) {
    return new QuotaPeriod(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
  }

  public Instant start() {
    return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** When the quota resets: the first instant of the next month. */
  public Instant end() {
    return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  @Override
  public String toString() {
    return month.toString();
  }
}

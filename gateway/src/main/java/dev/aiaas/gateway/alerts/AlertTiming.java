package dev.aiaas.gateway.alerts;

import java.time.Duration;

/**
 * How often quota alerts are evaluated and due webhooks sent, and how failed deliveries back off.
 * Internal: the defaults serve production; tests shorten them so they need not wait.
 *
 * @param evaluateEvery how often each gateway node looks for new crossings and due deliveries
 * @param firstRetry the wait after the first failed attempt; each further failure doubles it
 * @param maxRetry the longest wait between attempts
 * @param maxAttempts attempts after which a delivery is given up ({@code failed})
 * @param requestTimeout how long one attempt may take, connection included
 */
public record AlertTiming(Duration evaluateEvery, Duration firstRetry, Duration maxRetry, int maxAttempts, Duration requestTimeout) {

  public static final AlertTiming DEFAULT =
      new AlertTiming(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofHours(1), 8, Duration.ofSeconds(10));

  /** The wait before the next attempt, after {@code attempts} failed ones (1 = the first failed). */
  public Duration backoff(int attempts) {
    Duration wait = firstRetry.multipliedBy(1L << Math.min(30, Math.max(0, attempts - 1)));
    return wait.compareTo(maxRetry) > 0 ? maxRetry : wait;
  }
}

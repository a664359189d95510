package dev.aiaas.gateway.quota;

/**
 * One rate-limit bucket, as the generic cell rate algorithm keeps it: a single "theoretical
 * arrival time". A request is allowed while that time is no more than the burst ahead of now;
 * each allowed request pushes it one emission interval further.
 */
final class Gcra {

  private long theoreticalArrival;

  /** What a check decided, with what the RateLimit headers report. */
  record Decision(boolean allowed, int limit, int remaining, long resetNanos, long retryAfterNanos) {}

  synchronized Decision acquire(long now, int perSecond, int burst) {
    long interval = 1_000_000_000L / perSecond;
    long tolerance = interval * (burst - 1L);
    long tat = Math.max(theoreticalArrival, now);
    if (tat - now > tolerance) {
      long retryAfter = tat - tolerance - now;
      return new Decision(false, burst, 0, tat - now, retryAfter);
    }
    theoreticalArrival = tat + interval;
    long ahead = theoreticalArrival - now;
    int remaining = (int) Math.max(0, (tolerance + interval - ahead) / interval);
    return new Decision(true, burst, remaining, ahead, 0);
  }

  /** Gives back one request's worth, when a request admitted here was refused by another bucket. */
  synchronized void refund(int perSecond) {
    theoreticalArrival -= 1_000_000_000L / perSecond;
  }

  /** Whether the bucket is full again (nothing remembered), so it can be forgotten. */
  synchronized boolean idle(long now) {
    return theoreticalArrival <= now;
  }
}

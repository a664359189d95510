package dev.aiaas.gateway.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls until something asynchronous has happened (a batch written, an expiry passed, a message
 * delivered), failing with the last value seen after the deadline. The deadline bounds the test;
 * it is not a performance assertion.
 */
public final class Eventually {

  private static final Duration POLL = Duration.ofMillis(100);

  private Eventually() {}

  public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    T value = probe.get();
    while (!done.test(value)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + timeout + "; last seen: " + value);
      }
      pause();
      value = probe.get();
    }
    return value;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}

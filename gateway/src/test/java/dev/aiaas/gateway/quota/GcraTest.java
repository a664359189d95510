package dev.aiaas.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GcraTest {

  private static final long SECOND = 1_000_000_000L;

  /** Verifies that a full bucket admits the burst at once, then one request per interval. */
  @Test
  void burstThenRate() {
    Gcra bucket = new Gcra();
    long now = 100 * SECOND;

    for (int i = 0; i < 3; i++) {
      Gcra.Decision d = bucket.acquire(now, 2, 3);
      assertTrue(d.allowed());
      assertEquals(2 - i, d.remaining());
    }
    Gcra.Decision refused = bucket.acquire(now, 2, 3);
    assertFalse(refused.allowed());
    assertEquals(SECOND / 2, refused.retryAfterNanos(), "the next slot frees after one interval");
    assertTrue(bucket.acquire(now + SECOND / 2, 2, 3).allowed());
    assertFalse(bucket.acquire(now + SECOND / 2, 2, 3).allowed());
  }

  /** Verifies that an idle bucket refills to the burst and no further. */
  @Test
  void refillsToBurstOnly() {
    Gcra bucket = new Gcra();
    bucket.acquire(0, 10, 5);

    long later = 60 * SECOND;
    assertTrue(bucket.idle(later));
    int allowed = 0;
    while (bucket.acquire(later, 10, 5).allowed()) {
      allowed++;
    }
    assertEquals(5, allowed);
  }

  /** Verifies that a refund gives back exactly one request. */
  @Test
  void refund() {
    Gcra bucket = new Gcra();
    bucket.acquire(0, 1, 1);
    assertFalse(bucket.acquire(0, 1, 1).allowed());

    bucket.refund(1);

    assertTrue(bucket.acquire(0, 1, 1).allowed());
  }
}

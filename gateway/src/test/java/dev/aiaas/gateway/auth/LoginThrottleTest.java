package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  /** A clock the test moves by hand. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-11-28T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  /** Verifies that an account is refused after five failures until the window has passed. */
  @Test
  void accountLockAndRelease() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT - 1; i++) {
      throttle.failed("a@x.test", "10.0.0.1");
    }
    assertEquals(Optional.empty(), throttle.refusal("a@x.test", "10.0.0.1"), "four failures are tolerated");

    throttle.failed("A@X.test", "10.0.0.2");

    Optional<Duration> wait = throttle.refusal("a@x.test", "10.0.0.3");
    assertTrue(wait.isPresent(), "the fifth failure locks the account, whatever the address and case");
    assertEquals(LoginThrottle.WINDOW, wait.get());
    clock.now = clock.now.plus(LoginThrottle.WINDOW);
    assertEquals(Optional.empty(), throttle.refusal("a@x.test", "10.0.0.1"));
  }

  /** Verifies that one address spraying many accounts is refused after twenty failures. */
  @Test
  void addressLock() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_IP; i++) {
      throttle.failed("user" + i + "@x.test", "10.9.9.9");
    }

    assertTrue(throttle.refusal("fresh@x.test", "10.9.9.9").isPresent());
    assertEquals(Optional.empty(), throttle.refusal("fresh@x.test", "10.9.9.10"));
  }

  /** Verifies that a success clears the account's failures. */
  @Test
  void successResets() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT - 1; i++) {
      throttle.failed("b@x.test", "10.0.0.1");
    }
    throttle.succeeded("b@x.test");
    throttle.failed("b@x.test", "10.0.0.1");

    assertEquals(Optional.empty(), throttle.refusal("b@x.test", "10.0.0.1"));
  }
}

package dev.aiaas.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@value #MAX_FAILURES_PER_ACCOUNT} failed logins for one account,
 * or {@value #MAX_FAILURES_PER_IP} from one address, within {@link #WINDOW}, further attempts are
 * refused (429) until the window passes; checked before the costly password hash. Per gateway
 * node: a cluster of N nodes lets at most N times as many guesses through.
 */
public final class LoginThrottle {

  static final int MAX_FAILURES_PER_ACCOUNT = 5;
  static final int MAX_FAILURES_PER_IP = 20;
  static final Duration WINDOW = Duration.ofMinutes(15);
  private static final int MAX_TRACKED = 100_000;

  private final Clock clock;
  private final Map<String, Failures> byAccount = new ConcurrentHashMap<>();
  private final Map<String, Failures> byIp = new ConcurrentHashMap<>();

  private record Failures(int count, Instant windowStart) {}

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** If the attempt must be refused, how long until it may be tried again. */
  public Optional<Duration> refusal(String email, String ip) {
    Instant now = clock.instant();
    Optional<Duration> account = blocked(byAccount.get(key(email)), MAX_FAILURES_PER_ACCOUNT, now);
    return account.isPresent() ? account : blocked(byIp.get(ip), MAX_FAILURES_PER_IP, now);
  }

  public void failed(String email, String ip) {
    Instant now = clock.instant();
    if (byAccount.size() > MAX_TRACKED || byIp.size() > MAX_TRACKED) {
      // Bounded memory under a spray of addresses; old windows matter least.
      byAccount.values().removeIf(f -> expired(f, now));
      byIp.values().removeIf(f -> expired(f, now));
    }
    byAccount.merge(key(email), new Failures(1, now), (old, one) -> expired(old, now) ? one : new Failures(old.count() + 1, old.windowStart()));
    byIp.merge(ip, new Failures(1, now), (old, one) -> expired(old, now) ? one : new Failures(old.count() + 1, old.windowStart()));
  }

  /** A successful login clears the account's failures (not the address's). */
  public void succeeded(String email) {
    byAccount.remove(key(email));
  }

  private static Optional<Duration> blocked(Failures f, int max, Instant now) {
    if (f == null || expired(f, now) || f.count() < max) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, f.windowStart().plus(WINDOW)));
  }

  private static boolean expired(Failures f, Instant now) {
    return !now.isBefore(f.windowStart().plus(WINDOW));
  }

  private static String key(String email) {
    return email.toLowerCase(Locale.ROOT);
  }
}

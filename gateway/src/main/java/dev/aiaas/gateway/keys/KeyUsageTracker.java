package dev.aiaas.gateway.keys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers which keys were used and writes {@code last_used_at} for all of them every few
 * seconds in one statement, instead of one write per request on the hot path.
 */
public final class KeyUsageTracker {

  static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(KeyUsageTracker.class);

  private final Vertx vertx;
  private final ApiKeyStore store;
  private final Clock clock;
  private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();
  private long timer = -1;

  public KeyUsageTracker(Vertx vertx, ApiKeyStore store, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(FLUSH_INTERVAL.toMillis(), id -> flush());
  }

  public void used(UUID keyId) {
    pending.put(keyId, clock.instant());
  }

  /** Writes what is pending; on failure the times go back to be retried with the next batch. */
  public Future<Void> flush() {
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<UUID, Instant> batch = Map.copyOf(pending);
    // Only entries not touched since the copy; a newer use stays pending for the next batch.
    batch.forEach((id, at) -> pending.remove(id, at));
    return store.touch(batch).onFailure(e -> {
      LOG.warn("could not record API key usage ({} keys), will retry: {}", batch.size(), e.getMessage());
      batch.forEach((id, at) -> pending.merge(id, at, (a, b) -> a.isAfter(b) ? a : b));
    });
  }

  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return flush();
  }
}

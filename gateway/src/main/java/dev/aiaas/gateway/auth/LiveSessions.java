package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.cache.LoadingCache;
import dev.aiaas.gateway.cluster.GatewayAddresses;
import dev.aiaas.gateway.cluster.GatewayMessages.SessionsEnded;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Which console sessions (refresh-token families, the {@code sid} of access tokens) are still
 * alive, kept in memory so an access token costs no database read in the steady state. An ended
 * session (logout, revocation, refresh-token reuse, password or role change, user removal) is
 * published on the event bus and refused by every node at once; the time-to-live of a live answer bounds how long a lost message (or a
 * change made outside the cluster, such as {@code aiaas admin reset-password}) can go unseen.
 */
public final class LiveSessions {

  /** How long a "still alive" answer is trusted without asking the database again. */
  public static final Duration ALIVE_TTL = Duration.ofSeconds(30);

  private static final int MAX_ENTRIES = 100_000;

  private final Vertx vertx;
  /** An ended session never comes back, so only "alive" answers go stale. */
  private final LoadingCache<UUID, Boolean> bySession;
  private MessageConsumer<SessionsEnded> endings;

  /** {@code load} answers whether a session is alive, from the database. */
  public LiveSessions(Vertx vertx, Function<UUID, Future<Boolean>> load) {
    this.vertx = vertx;
    this.bySession = new LoadingCache<>(load, alive -> alive ? ALIVE_TTL.toNanos() : Long.MAX_VALUE, MAX_ENTRIES);
  }

  public Future<Void> start() {
    endings = vertx.eventBus().consumer(GatewayAddresses.SESSIONS_ENDED,
        msg -> msg.body().sessionIds().forEach(this::ended));
    return endings.completion();
  }

  /** Whether access tokens of {@code sessionId} may still be used; answered on the caller's context. */
  public Future<Boolean> alive(UUID sessionId) {
    return bySession.get(sessionId);
  }

  private void ended(UUID sessionId) {
    bySession.put(sessionId, false);
  }

  /** Ends {@code sessionId} on this node only: the others hear of it the same way (see {@link DatabaseSessionEndings}). */
  void endedHere(UUID sessionId) {
    ended(sessionId);
  }

  /** Ends {@code sessionIds} on this node at once and on every other node via the event bus. */
  public void publishEnded(Collection<UUID> sessionIds) {
    if (sessionIds.isEmpty()) {
      return;
    }
    sessionIds.forEach(this::ended);
    vertx.eventBus().publish(GatewayAddresses.SESSIONS_ENDED, new SessionsEnded(List.copyOf(sessionIds)));
  }

  public Future<Void> stop() {
    return endings == null ? Future.succeededFuture() : endings.unregister();
  }
}

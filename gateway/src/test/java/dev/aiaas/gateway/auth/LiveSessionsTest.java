package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.cluster.GatewayMessages;
import dev.aiaas.gateway.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session cache on the access-token path: one lookup per session, endings heard from other nodes. */
class LiveSessionsTest {

  private final Vertx vertx = withGatewayCodecs(Vertx.vertx());

  private static Vertx withGatewayCodecs(Vertx vertx) {
    GatewayMessages.registerCodecs(vertx);
    return vertx;
  }
  private final AtomicInteger lookups = new AtomicInteger();

  /** The database answer the cache asks for on a miss; counted so the tests see every lookup. */
  private Future<Boolean> alwaysAlive(UUID session) {
    lookups.incrementAndGet();
    return Future.succeededFuture(true);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static boolean aliveNow(LiveSessions sessions, UUID session) {
    try {
      return alive(sessions, session);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static boolean alive(LiveSessions sessions, UUID session) throws Exception {
    return sessions.alive(session).await(5, TimeUnit.SECONDS);
  }

  /** Verifies that repeated access tokens of one session cost one lookup, not one per request. */
  @Test
  void oneLookupPerSession() throws Exception {
    LiveSessions sessions = new LiveSessions(vertx, this::alwaysAlive);
    UUID session = UUID.randomUUID();

    for (int i = 0; i < 100; i++) {
      assertTrue(alive(sessions, session));
    }

    assertEquals(1, lookups.get());
  }

  /** Verifies that a session ended on one node is refused at once there and, via the event bus, on another node. */
  @Test
  void endingsReachOtherNodes() throws Exception {
    LiveSessions here = new LiveSessions(vertx, this::alwaysAlive);
    LiveSessions there = new LiveSessions(vertx, this::alwaysAlive);
    here.start().await(5, TimeUnit.SECONDS);
    there.start().await(5, TimeUnit.SECONDS);
    UUID ended = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    assertTrue(alive(there, ended), "GIVEN the other node has the session cached as alive");

    here.publishEnded(Set.of(ended));

    assertFalse(alive(here, ended));
    // Refused on the other node within a second.
    Eventually.until(() -> aliveNow(there, ended), alive -> !alive, Duration.ofSeconds(1));
    assertTrue(alive(there, other), "other sessions go on");
  }

  /** Verifies that a failed lookup (database down) is not remembered: the next request asks again. */
  @Test
  void failuresAreNotCached() throws Exception {
    List<Future<Boolean>> answers = List.of(Future.failedFuture("database down"), Future.succeededFuture(true));
    LiveSessions sessions = new LiveSessions(vertx, session -> answers.get(lookups.getAndIncrement()));
    UUID session = UUID.randomUUID();

    assertTrue(sessions.alive(session).failed());
    assertTrue(alive(sessions, session));
    assertEquals(2, lookups.get());
  }
}

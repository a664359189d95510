package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.cluster.GatewayMessages;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of verified console access tokens: bounded, and never a way around an ended session. */
class AccessTokenCacheTest {

  @TempDir Path dir;

  private Vertx vertx;
  private AccessTokens tokens;
  private LiveSessions sessions;
  private final Set<UUID> endedInDatabase = ConcurrentHashMap.newKeySet();
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    GatewayMessages.registerCodecs(vertx);
    tokens = new AccessTokens(vertx, JwtKeys.loadOrCreate(dir.resolve("jwt-key.pem")));
    sessions = new LiveSessions(vertx, id -> Future.succeededFuture(!endedInDatabase.contains(id)));
    sessions.start().await(10, TimeUnit.SECONDS);
    Authenticator authenticator = new Authenticator(tokens, sessions, null, null);
    Router router = Router.router(vertx);
    router.get("/whoami").handler(authenticator).handler(ctx -> ctx.end(Principals.of(ctx).id().toString()));
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(ctx.failure() instanceof ApiException e ? e.status() : 500).end());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private int whoami(String token) throws Exception {
    return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/whoami")
        .compose(request -> request.putHeader("Authorization", "Bearer " + token).send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .await(10, TimeUnit.SECONDS);
  }

  private static Identity admin() {
    return new Identity(UUID.randomUUID(), "admin@example.test", Optional.empty(), Identity.PLATFORM_ADMIN);
  }

  /** Verifies that a token whose session was revoked is refused at once although its verification is cached. */
  @Test
  void revokedSessionIsRefusedAlthoughItsTokenIsCached() throws Exception {
    // GIVEN a token that has been used, so its verification is cached
    UUID session = UUID.randomUUID();
    String token = tokens.issue(admin(), session);
    assertEquals(200, whoami(token));
    assertEquals(200, whoami(token));
    assertEquals(1, tokens.cachedTokens(), "the verified token is cached");

    // WHEN its session is revoked
    endedInDatabase.add(session);
    sessions.publishEnded(List.of(session));

    // THEN the very next request with it is refused, while the cache still holds the token
    assertEquals(401, whoami(token));
    assertEquals(1, tokens.cachedTokens());
  }

  /** Verifies that a session ended by another process (the database notification path) refuses a cached token too. */
  @Test
  void sessionEndedElsewhereIsRefusedAlthoughItsTokenIsCached() throws Exception {
    UUID session = UUID.randomUUID();
    String token = tokens.issue(admin(), session);
    assertEquals(200, whoami(token));

    sessions.endedHere(session);

    assertEquals(401, whoami(token));
  }

  /** Verifies that the cache holds no more than its bound however many distinct valid tokens are verified. */
  @Test
  void cacheIsBounded() throws Exception {
    AccessTokens small = new AccessTokens(vertx, JwtKeys.loadOrCreate(dir.resolve("jwt-key.pem")), 20);
    Identity admin = admin();
    UUID session = UUID.randomUUID();
    for (int i = 0; i < 100; i++) {
      small.verify(small.issue(admin, session)).await(10, TimeUnit.SECONDS);
      assertTrue(small.cachedTokens() <= 20, "cached " + small.cachedTokens());
    }
    assertTrue(small.cachedTokens() > 0);
  }

  /** Verifies that a refused token is not cached and that an altered copy of a cached token is refused. */
  @Test
  void onlyVerifiedTokensAreCached() throws Exception {
    String token = tokens.issue(admin(), UUID.randomUUID());
    assertEquals(200, whoami(token));
    int at = token.length() - 10;
    String altered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);

    assertEquals(401, whoami(altered));
    assertEquals(401, whoami("not-a-token"));
    assertEquals(1, tokens.cachedTokens());
  }
}

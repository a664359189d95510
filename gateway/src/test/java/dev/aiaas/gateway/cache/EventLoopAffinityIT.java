package dev.aiaas.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.keys.ApiKeyAuthenticator;
import dev.aiaas.gateway.keys.ApiKeyStore;
import dev.aiaas.gateway.keys.KeyUsageTracker;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.UsageStore;
import dev.aiaas.gateway.quota.QuotaLedger;
import dev.aiaas.gateway.serving.DeploymentStore;
import dev.aiaas.gateway.serving.RouteTable;
import dev.aiaas.gateway.tenants.Tenant;
import dev.aiaas.gateway.tenants.TenantDirectory;
import dev.aiaas.gateway.tenants.TenantStore;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Verifies that the gateway's shared caches answer every caller on the caller's own event loop,
 * whichever loop filled the cache: one {@code GatewayServices} serves every HTTP server instance
 * (one per event loop), so a cache entry loaded by a request on one loop is read by requests on
 * the others. GIVEN an entry loaded on context {@code first}, WHEN a caller on {@code second} reads
 * it, THEN its continuation runs on {@code second}.
 */
class EventLoopAffinityIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final String PLAN = "predictions100";

  private static Vertx vertx;
  private static Pool pool;
  private static TenantFixture acme;

  private Context first;
  private Context second;

  @BeforeAll
  static void setUp() {
    Api admin = app.api().as(app.adminToken());
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", PLAN)
        .put("limits", new JsonObject().put("predictions", 100))).status());
    acme = TenantFixture.create(app, "acme", PLAN);
    // A Vert.x of the test's own: the caches under test run on its event loops, against the platform's database.
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(app.database().connectOptions()).using(vertx).build();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Two event-loop contexts on different threads, as two HTTP server instances have. */
  @BeforeEach
  void twoLoops() throws Exception {
    EventLoops loops = EventLoops.deploy(vertx);
    first = loops.first();
    second = loops.second();
  }

  /** Verifies that a tenant loaded on one loop is delivered to a caller on another loop on that caller's loop. */
  @Test
  void tenantDirectoryAnswersOnTheCallersLoop() throws Exception {
    TenantDirectory directory = new TenantDirectory(vertx, new TenantStore(pool));
    UUID tenant = UUID.fromString(acme.id());

    assertSame(first, continuationOf(first, () -> directory.get(tenant)));
    assertSame(second, continuationOf(second, () -> directory.get(tenant)), "a cache hit continued on the loop that filled it");
  }

  /** Verifies that an API key looked up on one loop authenticates a caller on another loop on that caller's loop. */
  @Test
  void apiKeyAuthenticatorAnswersOnTheCallersLoop() throws Exception {
    ApiKeyStore store = new ApiKeyStore(pool);
    ApiKeyAuthenticator keys = new ApiKeyAuthenticator(vertx, store, new KeyUsageTracker(vertx, store, Clock.systemUTC()),
        Clock.systemUTC());

    assertSame(first, continuationOf(first, () -> keys.authenticate(acme.key())));
    assertSame(second, continuationOf(second, () -> keys.authenticate(acme.key())), "a cache hit continued on the loop that filled it");
  }

  /** Verifies that a route looked up on one loop is delivered to a caller on another loop on that caller's loop. */
  @Test
  void routeTableAnswersOnTheCallersLoop() throws Exception {
    RouteTable routes = new RouteTable(vertx, new DeploymentStore(pool));
    UUID tenant = UUID.fromString(acme.id());

    assertSame(first, continuationOf(first, () -> routes.route(tenant, "churn")));
    assertSame(second, continuationOf(second, () -> routes.route(tenant, "churn")), "a cache hit continued on the loop that filled it");
  }

  /**
   * Verifies that a quota reservation that needs a new lease, after the tenant's shared counter was
   * opened on another loop, continues on the caller's loop (a lease of 5 units each time: limit 100).
   */
  @Test
  void quotaLedgerAnswersOnTheCallersLoop() throws Exception {
    QuotaLedger quotas = new QuotaLedger(vertx, new UsageStore(pool), Clock.systemUTC());
    Tenant tenant = new TenantDirectory(vertx, new TenantStore(pool)).get(UUID.fromString(acme.id()))
        .await(10, TimeUnit.SECONDS).orElseThrow();

    assertSame(first, continuationOf(first, () -> quotas.reserve(tenant, Metric.PREDICTIONS, 5)));
    assertSame(second, continuationOf(second, () -> quotas.reserve(tenant, Metric.PREDICTIONS, 5)),
        "a lease from the counter opened on another loop continued on that loop");
  }

  /** Verifies that callers on two loops asking for the same missing entry at once each continue on their own loop. */
  @Test
  void concurrentMissesAnswerOnEachCallersLoop() throws Exception {
    TenantDirectory directory = new TenantDirectory(vertx, new TenantStore(pool));
    UUID tenant = UUID.fromString(acme.id());

    CompletableFuture<Context> onFirst = continuation(first, () -> directory.get(tenant));
    CompletableFuture<Context> onSecond = continuation(second, () -> directory.get(tenant));

    assertSame(first, onFirst.get(10, TimeUnit.SECONDS));
    assertSame(second, onSecond.get(10, TimeUnit.SECONDS));
  }

  /**
   * Verifies that HTTP requests served by two server instances (one per event loop, as the gateway
   * runs them) each finish on the loop they arrived on, through every shared cache of the request
   * path, although the first request filled the caches from one loop. Each request comes on a new
   * connection, so the instances take turns.
   */
  @Test
  void requestsFinishOnTheLoopTheyArrivedOn() throws Exception {
    ApiKeyStore store = new ApiKeyStore(pool);
    ApiKeyAuthenticator keys = new ApiKeyAuthenticator(vertx, store, new KeyUsageTracker(vertx, store, Clock.systemUTC()),
        Clock.systemUTC());
    TenantDirectory tenants = new TenantDirectory(vertx, new TenantStore(pool));
    RouteTable routes = new RouteTable(vertx, new DeploymentStore(pool));
    QuotaLedger quotas = new QuotaLedger(vertx, new UsageStore(pool), Clock.systemUTC());
    // The caches in the order the gateway's request path meets them.
    Handler<RoutingContext> probe = ctx -> {
      Context arrived = Vertx.currentContext();
      keys.authenticate(ctx.request().getHeader("X-API-Key"))
          .compose(principal -> tenants.get(principal.tenantId().orElseThrow()))
          .compose(tenant -> routes.route(tenant.orElseThrow().id(), "churn").map(tenant.get()))
          .compose(tenant -> quotas.reserve(tenant, Metric.PREDICTIONS, 1))
          .onComplete(done -> ctx.response().end(done.failed() ? "failed: " + done.cause()
              : (Vertx.currentContext() == arrived ? "same " : "moved ") + Thread.currentThread().getName()));
    };
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/probe").handler(probe);
        // Port -1: one random port shared by both instances, as the gateway's servers share theirs.
        return vertx.createHttpServer().requestHandler(router).listen(-1, "127.0.0.1").onSuccess(servers::add);
      }
    }, new DeploymentOptions().setInstances(2)).await(10, TimeUnit.SECONDS);
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(client.request(HttpMethod.GET, servers.get(0).actualPort(), "127.0.0.1", "/probe")
          .compose(request -> request.putHeader("X-API-Key", acme.key()).send())
          .compose(response -> response.body())
          .map(Buffer::toString)
          .await(10, TimeUnit.SECONDS));
    }

    assertTrue(answers.stream().allMatch(a -> a.startsWith("same ")), "requests moved to another loop: " + answers);
    assertEquals(2, answers.stream().map(a -> a.substring(5)).distinct().count(), "both loops served: " + answers);
  }

  /** Calls {@code call} on {@code context} and returns the context its outcome was delivered on. */
  private static Context continuationOf(Context context, Supplier<Future<?>> call) throws Exception {
    Context seen = continuation(context, call).get(10, TimeUnit.SECONDS);
    assertNotSame(null, seen);
    return seen;
  }

  private static CompletableFuture<Context> continuation(Context context, Supplier<Future<?>> call) {
    CompletableFuture<Context> seen = new CompletableFuture<>();
    context.runOnContext(v -> call.get().onComplete(outcome -> {
      if (outcome.failed()) {
        seen.completeExceptionally(outcome.cause());
      } else {
        seen.complete(Vertx.currentContext());
      }
    }));
    return seen;
  }
}

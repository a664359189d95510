package dev.aiaas.gateway.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quota alerts end to end: thresholds set over HTTP, usage made with an API key, the crossing
 * recorded and delivered as a signed webhook to a receiver this test runs on 127.0.0.1 (the
 * platform allows private webhook targets for it).
 */
class AlertsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform()
      .with("AIAAS_WEBHOOK_ALLOW_PRIVATE", "true")
      .configured(config -> config.withAlertTiming(
          new AlertTiming(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(1), 4, Duration.ofSeconds(5))));

  /** A received webhook: the path it was sent to, its headers and body. */
  record Received(String path, MultiMap headers, String body) {}

  private static Vertx vertx;
  private static HttpServer receiver;
  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private static String plan;

  @BeforeAll
  static void startReceiver() throws Exception {
    vertx = Vertx.vertx();
    receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(new Received(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString()));
      int n = calls.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
      int status = switch (request.path()) {
        case "/flaky" -> n == 1 ? 500 : 200;
        case "/down" -> 500;
        default -> 204;
      };
      request.response().setStatusCode(status).end();
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    plan = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response created = app.api().as(app.adminToken()).post("/v1/admin/plans",
        new JsonObject().put("name", plan).put("limits", new JsonObject().put("api_calls", 10)));
    assertEquals(201, created.status(), created.toString());
  }

  @AfterAll
  static void stopReceiver() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + receiver.actualPort() + path;
  }

  /** Saves alert settings as the owner; answers the secret of the first save. */
  private static String configure(TenantFixture tenant, int threshold, String path) {
    Api.Response saved = app.api().as(tenant.ownerToken()).put("/v1/alerts", new JsonObject()
        .put("thresholds", new JsonObject().put("api_calls", threshold)).put("webhook_url", url(path)));
    assertEquals(200, saved.status(), saved.toString());
    return saved.json().getString("webhook_secret");
  }

  /** Makes {@code n} metered calls with the tenant's API key and waits until they are durable usage. */
  private static void use(TenantFixture tenant, int n) {
    Api key = app.api().as(tenant.key());
    long before = apiCalls(tenant);
    for (int i = 0; i < n; i++) {
      assertEquals(200, key.get("/v1/whoami").status());
    }
    Eventually.until(() -> apiCalls(tenant), used -> used >= before + n, WAIT);
  }

  private static long apiCalls(TenantFixture tenant) {
    return Long.parseLong(app.api().as(tenant.ownerToken()).get("/v1/tenant").json()
        .getJsonObject("quotas").getJsonObject("api_calls").getString("used"));
  }

  private static List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private static JsonArray deliveries(TenantFixture tenant) {
    Api.Response list = app.api().as(tenant.ownerToken()).get("/v1/alerts/deliveries");
    assertEquals(200, list.status(), list.toString());
    return list.data();
  }

  /**
   * Verifies that crossing a threshold delivers exactly one webhook whose signature verifies with
   * the secret shown at creation, that the tenant overview shows the crossing, and that another
   * tenant sees none of it.
   */
  @Test
  void crossingDeliversOneSignedWebhook() {
    // GIVEN a tenant with a 50 % alert on api_calls (limit 10) and a webhook
    TenantFixture tenant = TenantFixture.create(app, "alerts", plan);
    String secret = configure(tenant, 50, "/ok");
    assertNotNull(secret, "the first save shows the signing secret");
    assertTrue(secret.startsWith("whsec_"));
    JsonObject settings = app.api().as(tenant.ownerToken()).get("/v1/alerts").json();
    assertFalse(settings.containsKey("webhook_secret"), "reads never show the secret");
    assertEquals(50, settings.getJsonObject("thresholds").getInteger("api_calls"));
    use(tenant, 4);
    assertEquals(new JsonArray(), app.api().as(tenant.ownerToken()).get("/v1/tenant").json().getJsonArray("alerts"));

    // WHEN usage reaches half the limit
    use(tenant, 1);

    // THEN one signed webhook arrives
    Eventually.until(() -> at("/ok").size(), n -> n >= 1, WAIT);
    Received hook = at("/ok").get(0);
    JsonObject body = new JsonObject(hook.body());
    assertEquals("quota.threshold_crossed", body.getString("type"));
    assertEquals(tenant.id(), body.getString("tenant_id"));
    assertEquals("api_calls", body.getString("metric"));
    assertEquals(50, body.getInteger("threshold"));
    assertEquals(10, body.getInteger("limit"));
    assertEquals(YearMonth.now(ZoneOffset.UTC).toString(), body.getString("period"));
    assertTrue(Long.parseLong(body.getString("used")) >= 5);
    assertNotNull(body.getString("id"));
    assertNotNull(body.getString("crossed_at"));
    String signature = hook.headers().get("X-Aiaas-Signature");
    String t = signature.substring(2, signature.indexOf(','));
    assertEquals("t=" + t + ",v1=" + WebhookSignature.hmac(secret, t + "." + hook.body()), signature, "the signature verifies");

    JsonArray log = Eventually.until(() -> deliveries(tenant),
        list -> list.size() == 1 && list.getJsonObject(0).getString("state").equals("delivered"), WAIT);
    assertEquals(hook.headers().get("X-Aiaas-Delivery"), log.getJsonObject(0).getString("id"));
    assertEquals(1, log.getJsonObject(0).getInteger("attempts"));
    assertEquals(204, log.getJsonObject(0).getInteger("last_status"));
    JsonArray alerts = app.api().as(tenant.ownerToken()).get("/v1/tenant").json().getJsonArray("alerts");
    assertEquals(1, alerts.size(), alerts.encode());
    assertEquals("api_calls", alerts.getJsonObject(0).getString("metric"));
    assertEquals(50, alerts.getJsonObject(0).getInteger("threshold"));
    assertEquals(10, alerts.getJsonObject(0).getInteger("limit"));

    // WHEN usage grows further, and afterwards another tenant crosses (so the evaluator has
    // certainly run again over the first tenant's newer usage)
    use(tenant, 2);
    TenantFixture other = TenantFixture.create(app, "alerts-other", plan);
    configure(other, 10, "/other");
    use(other, 1);
    Eventually.until(() -> at("/other").size(), n -> n >= 1, WAIT);

    // THEN the first tenant still got exactly one webhook, and the tenants see only their own
    assertEquals(1, at("/ok").size(), "one delivery per crossing");
    assertEquals(1, deliveries(tenant).size());
    JsonArray othersLog = deliveries(other);
    assertEquals(1, othersLog.size());
    assertEquals(10, othersLog.getJsonObject(0).getInteger("threshold"));
    assertEquals(other.id(), new JsonObject(at("/other").get(0).body()).getString("tenant_id"));
    JsonArray othersAlerts = app.api().as(other.ownerToken()).get("/v1/tenant").json().getJsonArray("alerts");
    assertEquals(1, othersAlerts.size());
    assertEquals(10, othersAlerts.getJsonObject(0).getInteger("threshold"));
  }

  /** Verifies that a receiver answering 500 first gets the same delivery again, which then succeeds. */
  @Test
  void failedDeliveryIsRetried() {
    TenantFixture tenant = TenantFixture.create(app, "alerts-retry", plan);
    configure(tenant, 20, "/flaky");

    use(tenant, 2);

    JsonArray log = Eventually.until(() -> deliveries(tenant),
        list -> list.size() == 1 && list.getJsonObject(0).getString("state").equals("delivered"), WAIT);
    JsonObject delivery = log.getJsonObject(0);
    assertEquals(2, delivery.getInteger("attempts"));
    assertEquals(200, delivery.getInteger("last_status"));
    List<Received> hooks = at("/flaky");
    assertEquals(2, hooks.size());
    assertEquals(hooks.get(0).body(), hooks.get(1).body(), "a retry sends the same event");
    assertEquals(delivery.getString("id"), hooks.get(0).headers().get("X-Aiaas-Delivery"));
    assertEquals(delivery.getString("id"), hooks.get(1).headers().get("X-Aiaas-Delivery"));
  }

  /** Verifies that a delivery the receiver keeps refusing is given up after the bounded attempts, with the last status in the log. */
  @Test
  void deliveryIsGivenUpAfterBoundedAttempts() {
    TenantFixture tenant = TenantFixture.create(app, "alerts-down", plan);
    configure(tenant, 20, "/down");

    use(tenant, 2);

    JsonObject delivery = Eventually.until(() -> deliveries(tenant),
        list -> list.size() == 1 && list.getJsonObject(0).getString("state").equals("failed"), WAIT).getJsonObject(0);
    assertEquals(4, delivery.getInteger("attempts"));
    assertEquals(500, delivery.getInteger("last_status"));
    assertEquals("the receiver answered 500", delivery.getString("last_error"));
    assertNull(delivery.getString("next_attempt_at"));
    assertEquals(4, at("/down").size());
  }

  /** Verifies that rotating the secret shows a new one once, and that later deliveries are signed with it. */
  @Test
  void rotatedSecretSignsLaterDeliveries() {
    TenantFixture tenant = TenantFixture.create(app, "alerts-rotate", plan);
    String first = configure(tenant, 30, "/rotated");
    assertNull(configure(tenant, 30, "/rotated"), "a later save does not show the secret again");
    Api.Response rotated = app.api().as(tenant.ownerToken()).post("/v1/alerts/webhook-secret", new JsonObject());
    assertEquals(200, rotated.status(), rotated.toString());
    String second = rotated.json().getString("webhook_secret");
    assertNotNull(second);
    assertFalse(second.equals(first));

    use(tenant, 3);

    Api.Response audit = app.api().as(tenant.ownerToken()).get("/v1/audit");
    assertEquals(200, audit.status(), audit.toString());
    assertTrue(audit.body().contains("alerts.webhook_secret_rotated"), audit.toString());
    JsonObject updated = audit.data().stream().map(JsonObject.class::cast).filter(e -> e.getString("action").equals("alerts.updated"))
        .findFirst().orElseThrow();
    assertEquals("127.0.0.1", updated.getJsonObject("details").getString("webhook_host"));
    assertFalse(audit.body().contains("/rotated") || audit.body().contains(first) || audit.body().contains(second),
        "the audit log holds neither the webhook path nor a secret");

    Received hook = Eventually.until(() -> at("/rotated"), list -> !list.isEmpty(), WAIT).get(0);
    String signature = hook.headers().get("X-Aiaas-Signature");
    String t = signature.substring(2, signature.indexOf(','));
    assertEquals("t=" + t + ",v1=" + WebhookSignature.hmac(second, t + "." + hook.body()), signature);
  }

  /** Verifies that bad settings get a 400 naming the field, and that only owners manage alerts. */
  @Test
  void badSettingsAndOtherRolesAreRefused() {
    TenantFixture tenant = TenantFixture.create(app, "alerts-bad", plan);
    Api owner = app.api().as(tenant.ownerToken());

    Api.Response ftp = owner.put("/v1/alerts", new JsonObject().put("thresholds", new JsonObject()).put("webhook_url", "ftp://example.com/x"));
    assertEquals(400, ftp.status(), ftp.toString());
    assertTrue(ftp.body().contains("webhook_url"), ftp.toString());

    Api.Response storage = owner.put("/v1/alerts", new JsonObject().put("thresholds", new JsonObject().put("storage_bytes", 80)));
    assertEquals(400, storage.status(), storage.toString());
    assertTrue(storage.body().contains("thresholds.storage_bytes"), storage.toString());

    Api.Response tooHigh = owner.put("/v1/alerts", new JsonObject().put("thresholds", new JsonObject().put("predictions", 101)));
    assertEquals(400, tooHigh.status(), tooHigh.toString());
    assertTrue(tooHigh.body().contains("predictions"), tooHigh.toString());

    assertEquals(403, app.api().as(tenant.developerToken()).get("/v1/alerts").status());
    assertEquals(403, app.api().as(tenant.developerToken()).put("/v1/alerts", new JsonObject().put("thresholds", new JsonObject())).status());
    assertEquals(403, app.api().as(tenant.viewerToken()).get("/v1/alerts/deliveries").status());
    assertEquals(403, app.api().as(tenant.developerToken()).post("/v1/alerts/webhook-secret", new JsonObject()).status());
    // nothing was saved by the refused calls
    assertEquals(new JsonObject(), owner.get("/v1/alerts").json().getJsonObject("thresholds"));
  }
}

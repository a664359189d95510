package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.alerts.AlertTiming;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's Alerts and Audit log pages in a real headless Chromium against the real platform:
 * an owner sets a threshold and a webhook in the page, usage crosses it, exactly one signed webhook
 * reaches a receiver this test runs on 127.0.0.1 (the platform allows private targets for it), the
 * page logs the delivery and the overview shows the banner; the audit log filters and pages.
 */
class ConsoleAlertsAuditIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform()
      .with("AIAAS_WEBHOOK_ALLOW_PRIVATE", "true")
      .configured(config -> config.withAlertTiming(
          new AlertTiming(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1), 4, Duration.ofSeconds(5))));

  /** A received webhook: the path it was sent to, its headers and body. */
  record Received(String path, MultiMap headers, String body) {}

  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static Vertx vertx;
  private static HttpServer receiver;
  private static String plan;
  private static TenantFixture acme;
  private static ConsoleBrowser owner;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(new Received(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString()));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    // A small api_calls limit, so a few calls cross a threshold.
    plan = "console-alerts-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response created = app.api().as(app.adminToken()).post("/v1/admin/plans",
        new JsonObject().put("name", plan).put("limits", new JsonObject().put("api_calls", 10)));
    assertEquals(201, created.status(), created.toString());
    acme = TenantFixture.create(app, "acme-alerts", plan);
    owner = new ConsoleBrowser(app.uri("/"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (owner != null) {
      owner.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + receiver.actualPort() + path;
  }

  private static List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private static void signInAsOwner() {
    owner.open("/console/");
    owner.await(By.cssSelector("#signin-title, nav[aria-label=Main]"));
    if (owner.driver().findElements(By.cssSelector("nav[aria-label=Main]")).isEmpty()) {
      owner.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
    }
    owner.awaitPage("Overview");
  }

  private static void type(By field, String text) {
    WebElement input = owner.driver().findElement(field);
    input.clear();
    input.sendKeys(text);
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

  /** The HMAC-SHA256 a receiver computes over {@code "<t>.<body>"}, computed here independently of the platform's code. */
  private static String hmac(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Verifies that an owner's refused webhook URL is explained beside the field, that the settings
   * saved in the page cross into exactly one webhook signed with the secret the page showed, that
   * the page's log shows that delivery, that the overview shows a banner linking to the page, and
   * that a secret replaced in the page signs the next crossing.
   */
  @Test
  void thresholdSetInThePageDeliversOneSignedWebhook() {
    signInAsOwner();
    owner.navigate("Alerts");
    By threshold = By.cssSelector("input[name='thresholds.api_calls']");
    By webhook = By.cssSelector("input[name=webhook_url]");
    By save = By.xpath("//button[normalize-space()='Save']");

    // A target the API refuses: its words appear beside the webhook field, nothing is saved.
    Api.Response refused = app.api().as(acme.ownerToken()).put("/v1/alerts", new JsonObject()
        .put("thresholds", new JsonObject().put("api_calls", 50)).put("webhook_url", "ftp://example.com/hook"));
    assertEquals(400, refused.status(), refused.toString());
    type(threshold, "50");
    type(webhook, "ftp://example.com/hook");
    owner.driver().findElement(save).click();
    WebElement fieldError = owner.await(By.xpath("//div[contains(@class,'field-invalid')][.//input[@name='webhook_url']]//p[@class='field-error']"));
    assertEquals(refused.json().getJsonArray("errors").getJsonObject(0).getString("message"), fieldError.getText());
    assertEquals("true", owner.driver().findElement(webhook).getAttribute("aria-invalid"));
    assertEquals(new JsonObject(), app.api().as(acme.ownerToken()).get("/v1/alerts").json().getJsonObject("thresholds"));

    // GIVEN a 50 % threshold on api_calls (limit 10) and the test's receiver, saved in the page
    type(webhook, url("/hook"));
    owner.driver().findElement(save).click();
    String secret = owner.await(By.cssSelector("[data-testid=webhook-secret]")).getText();
    assertTrue(secret.startsWith("whsec_"), secret);
    owner.awaitText(By.cssSelector("main"), "Alert settings saved.");
    JsonObject settings = app.api().as(acme.ownerToken()).get("/v1/alerts").json();
    assertEquals(50, settings.getJsonObject("thresholds").getInteger("api_calls"));
    assertEquals(url("/hook"), settings.getString("webhook_url"));
    assertFalse(settings.containsKey("webhook_secret"));
    owner.driver().findElement(By.xpath("//button[normalize-space()='Done']")).click();
    owner.awaitGone(By.cssSelector("[data-testid=webhook-secret]"));

    // WHEN usage reaches half the limit through the API
    use(acme, 5);

    // THEN one webhook arrives, signed with the secret the page showed
    Received hook = Eventually.until(() -> at("/hook"), list -> !list.isEmpty(), WAIT).get(0);
    JsonObject body = new JsonObject(hook.body());
    assertEquals("quota.threshold_crossed", body.getString("type"));
    assertEquals("api_calls", body.getString("metric"));
    assertEquals(50, body.getInteger("threshold"));
    String signature = hook.headers().get("X-Aiaas-Signature");
    assertNotNull(signature);
    String t = signature.substring(2, signature.indexOf(','));
    assertEquals("t=" + t + ",v1=" + hmac(secret, t + "." + hook.body()), signature, "the signature verifies with the page's secret");

    // AND the page's delivery log shows it delivered on the first attempt
    By log = By.xpath("//section[@aria-labelledby='deliveries-title']//table");
    owner.awaitText(log, "delivered");
    List<WebElement> rows = owner.driver().findElements(By.xpath("//section[@aria-labelledby='deliveries-title']//tbody/tr"));
    assertEquals(1, rows.size());
    String row = rows.get(0).getText();
    assertTrue(row.contains("API calls at 50 %") && row.contains("HTTP 204"), row);
    assertEquals("1", rows.get(0).findElements(By.tagName("td")).get(3).getText(), "attempts");

    // AND more usage, then another tenant's crossing (so the evaluator has certainly looked at the
    // first tenant's newer usage again), sends no second webhook
    use(acme, 2);
    TenantFixture other = TenantFixture.create(app, "acme-alerts-other", plan);
    assertEquals(200, app.api().as(other.ownerToken()).put("/v1/alerts", new JsonObject()
        .put("thresholds", new JsonObject().put("api_calls", 10)).put("webhook_url", url("/other"))).status());
    use(other, 1);
    Eventually.until(() -> at("/other").size(), n -> n >= 1, WAIT);
    assertEquals(1, at("/hook").size(), "exactly one webhook per crossing");

    // AND the overview shows the banner, which leads back to the alerts page
    owner.navigate("Overview");
    owner.driver().navigate().refresh();
    owner.awaitPage("Overview");
    WebElement banner = owner.await(By.cssSelector("[data-testid=alert-banner]"));
    assertTrue(banner.getText().contains("API calls reached 50 % of this month's limit"), banner.getText());
    owner.checkAndCapture("overview-alert");
    banner.findElement(By.tagName("a")).click();
    owner.awaitPage("Alerts");
    owner.awaitText(log, "delivered");
    assertEquals("50", owner.driver().findElement(threshold).getAttribute("value"));
    owner.checkAndCapture("alerts");

    // WHEN the owner replaces the secret in the page, then raises the threshold to 60 % (usage is
    // already 7 of 10, so that is a new crossing)
    owner.driver().findElement(By.xpath("//main//button[normalize-space()='Replace secret']")).click();
    WebElement dialog = owner.await(By.cssSelector("[role=alertdialog]"));
    dialog.findElement(By.xpath(".//button[normalize-space()='Replace secret']")).click();
    owner.awaitGone(By.cssSelector("[role=alertdialog]"));
    String rotated = owner.await(By.cssSelector("[data-testid=webhook-secret]")).getText();
    assertTrue(rotated.startsWith("whsec_") && !rotated.equals(secret), "a new secret is shown");
    type(threshold, "60");
    owner.driver().findElement(save).click();
    owner.awaitText(By.cssSelector("main"), "Alert settings saved.");

    // THEN that crossing's webhook is signed with the new secret the page showed
    Received next = Eventually.until(() -> at("/hook"), list -> list.size() >= 2, WAIT).get(1);
    assertEquals(60, new JsonObject(next.body()).getInteger("threshold"));
    String nextSignature = next.headers().get("X-Aiaas-Signature");
    String nextT = nextSignature.substring(2, nextSignature.indexOf(','));
    assertEquals("t=" + nextT + ",v1=" + hmac(rotated, nextT + "." + next.body()), nextSignature);
  }

  /** The rows of the audit table now shown: each row's cells' text. */
  private static List<List<String>> auditRows() {
    try {
      return owner.driver().findElements(By.xpath("//section[@aria-labelledby='audit-events']//tbody/tr")).stream()
          .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()).toList();
    } catch (WebDriverException e) {
      // The table was redrawn while read; the next poll reads the new one.
      return List.of();
    }
  }

  private static List<String> targets(JsonArray events) {
    return events.stream().map(JsonObject.class::cast).map(e -> e.getString("target") == null ? "—" : e.getString("target")).toList();
  }

  /**
   * Verifies that the audit page filtered by an action shows only that action, pages by the
   * chosen size in the API's order (the same events as the API's pages), and goes back.
   */
  @Test
  void auditLogFiltersByActionAndPages() {
    // GIVEN more api_key.created events than one page of 10
    Api asOwner = app.api().as(acme.ownerToken());
    for (int i = 0; i < 12; i++) {
      assertEquals(201, asOwner.post("/v1/keys", new JsonObject().put("name", "audit-" + i).put("scopes", new JsonArray().add("predict"))).status());
    }
    JsonObject first = asOwner.get("/v1/audit?action=api_key.created&limit=10").json();
    JsonObject second = asOwner.get("/v1/audit?action=api_key.created&limit=10&before=" + first.getLong("next_before")).json();
    assertEquals(10, first.getJsonArray("data").size());
    assertFalse(second.getJsonArray("data").isEmpty());
    signInAsOwner();
    owner.navigate("Audit log");

    // WHEN the owner filters by the action, 10 rows a page
    type(By.cssSelector("input[name=action]"), "api_key.created");
    new Select(owner.driver().findElement(By.cssSelector("select[name=limit]"))).selectByVisibleText("10");
    owner.driver().findElement(By.xpath("//button[normalize-space()='Apply']")).click();

    // THEN the first page holds the API's first page, only that action, newest first
    List<List<String>> page = Eventually.until(ConsoleAlertsAuditIT::auditRows,
        rows -> rows.size() == 10 && rows.stream().allMatch(r -> r.get(2).equals("api_key.created")), WAIT);
    assertEquals(targets(first.getJsonArray("data")), page.stream().map(r -> r.get(3)).toList());
    assertEquals("Page 1", owner.driver().findElement(By.cssSelector("[data-testid=audit-page]")).getText());
    assertFalse(owner.driver().findElement(By.xpath("//button[normalize-space()='Newer']")).isEnabled());
    owner.checkAndCapture("audit");

    // WHEN they go to older events, THEN the second page is the API's second page
    owner.driver().findElement(By.xpath("//button[normalize-space()='Older']")).click();
    owner.awaitText(By.cssSelector("[data-testid=audit-page]"), "Page 2");
    List<String> olderTargets = targets(second.getJsonArray("data"));
    page = Eventually.until(ConsoleAlertsAuditIT::auditRows, rows -> rows.stream().map(r -> r.get(3)).toList().equals(olderTargets), WAIT);
    assertTrue(page.stream().allMatch(r -> r.get(2).equals("api_key.created")), page.toString());

    // AND back to the newer ones
    owner.driver().findElement(By.xpath("//button[normalize-space()='Newer']")).click();
    owner.awaitText(By.cssSelector("[data-testid=audit-page]"), "Page 1");
    Eventually.until(ConsoleAlertsAuditIT::auditRows,
        rows -> rows.stream().map(r -> r.get(3)).toList().equals(targets(first.getJsonArray("data"))), WAIT);
  }
}

package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real headless Chromium against the real platform: sign-in, the pages a tenant
 * uses daily, sessions across reloads and logout, what a viewer may see, accessibility (axe-core)
 * in light and dark, and the screenshots the README shows.
 */
class ConsoleIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static ConsoleBrowser browser;
  private static TenantFixture acme;

  @BeforeAll
  static void startBrowser() {
    // A plan with quotas and prices, so the overview has gauges and a cost to show.
    Api admin = app.api().as(app.adminToken());
    Api.Response plan = admin.post("/v1/admin/plans", new JsonObject()
        .put("name", "team").put("currency", "USD").put("base_fee", "49.00")
        .put("limits", new JsonObject().put("api_calls", 100000).put("predictions", 50000).put("training_seconds", 36000)
            .put("storage_bytes", 1073741824L))
        .put("soft_limits", new JsonArray().add("api_calls"))
        .put("prices", new JsonObject().put("api_calls", new JsonObject().put("unit_price", "0.0010"))
            .put("predictions", new JsonObject().put("unit_price", "0.0020"))));
    assertEquals(201, plan.status(), plan.toString());
    acme = TenantFixture.create(app, "acme", "team");
    browser = new ConsoleBrowser(app.uri("/"));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private void signInAsOwner() {
    browser.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
    browser.awaitPage("Overview");
  }

  private void signOutIfSignedIn() {
    browser.open("/console/");
    // The page first restores the session from the cookie: wait until it decided either way.
    browser.await(By.cssSelector("#signin-title, nav[aria-label=Main]"));
    List<WebElement> signOut = browser.driver().findElements(By.xpath("//button[normalize-space()='Sign out']"));
    if (!signOut.isEmpty()) {
      signOut.get(0).click();
      browser.await(By.id("signin-title"));
    }
  }

  /** Verifies that a refused sign-in shows the server's problem detail exactly as the API wrote it. */
  @Test
  void signInShowsTheServersError() {
    signOutIfSignedIn();
    browser.await(By.id("signin-title"));
    browser.checkAndCapture("signin");
    String detail = app.api().post("/v1/auth/login", new JsonObject().put("email", acme.ownerEmail()).put("password", "wrong password"))
        .json().getString("detail");

    browser.signIn(acme.ownerEmail(), "another wrong password");

    WebElement alert = browser.await(By.cssSelector("[role=alert]"));
    assertTrue(alert.getText().contains(detail), alert.getText() + " should contain " + detail);
    assertTrue(alert.getText().contains("Request id:"), alert.getText());
  }

  /**
   * Verifies that an owner sees the overview, creates a key whose secret is shown once and works,
   * sees its calls counted on the usage page, and revokes it after confirming.
   */
  @Test
  void ownerCreatesKeySeesUsageAndRevokes() {
    signOutIfSignedIn();
    signInAsOwner();
    browser.await(By.cssSelector("[data-testid=quota-predictions]"));
    browser.await(By.cssSelector("[data-testid=cost-so-far]"));
    browser.checkAndCapture("overview");

    browser.navigate("API keys");
    browser.driver().findElement(By.cssSelector("input[name=name]")).sendKeys("from the console");
    browser.driver().findElement(By.cssSelector("input[name=scopes][value=read]")).click();
    browser.driver().findElement(By.xpath("//button[normalize-space()='Create key']")).click();
    String secret = browser.await(By.cssSelector("[data-testid=new-key-secret]")).getText();
    assertTrue(secret.startsWith("aiaas_"), secret);
    assertTrue(browser.driver().getPageSource().contains("you will not see it again"));
    Api withKey = app.api().as(secret);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, withKey.get("/v1/whoami").status());
    }
    browser.driver().findElement(By.xpath("//button[normalize-space()='Done']")).click();
    browser.awaitText(By.cssSelector("table"), "from the console");
    browser.checkAndCapture("keys");

    // Reloading shows the list again, never the secret.
    browser.driver().navigate().refresh();
    browser.awaitPage("API keys");
    browser.awaitText(By.cssSelector("table"), "from the console");
    assertFalse(browser.driver().getPageSource().contains(secret), "the secret is shown only once");

    browser.navigate("Usage");
    new Select(browser.driver().findElement(By.cssSelector("select[name=group_by]"))).selectByVisibleText("API key");
    Eventually.until(() -> {
      browser.driver().navigate().refresh();
      browser.awaitPage("Usage");
      new Select(browser.driver().findElement(By.cssSelector("select[name=group_by]"))).selectByVisibleText("API key");
      browser.awaitGone(By.cssSelector("[role=status].loading"));
      return browser.driver().findElements(By.cssSelector("table")).stream().map(WebElement::getText).findFirst().orElse("");
    }, text -> text.contains("from the console"), Duration.ofSeconds(30));
    String table = browser.driver().findElement(By.cssSelector("table")).getText();
    assertTrue(table.lines().anyMatch(line -> line.matches(".*\\b3\\b.*")), "three calls counted: " + table);
    new Select(browser.driver().findElement(By.cssSelector("select[name=group_by]"))).selectByVisibleText("Metric");
    browser.awaitText(By.cssSelector("table thead"), "API calls");
    browser.checkAndCapture("usage");
    String csv = browser.download(By.linkText("Download CSV"));
    assertTrue(csv.startsWith("start,API calls\r\n") && csv.contains(",3\r\n"), "the CSV download: " + csv);

    browser.navigate("API keys");
    browser.driver().findElement(By.xpath("//tr[contains(., 'from the console')]//button[contains(., 'Revoke')]")).click();
    WebElement dialog = browser.await(By.cssSelector("[role=alertdialog]"));
    browser.screenshot("keys-revoke-dialog");
    dialog.findElement(By.xpath(".//button[normalize-space()='Revoke key']")).click();
    browser.awaitGone(By.cssSelector("[role=alertdialog]"));
    browser.awaitText(By.xpath("//tr[contains(., 'from the console')]"), "revoked");
    Eventually.until(() -> withKey.get("/v1/whoami").status(), status -> status == 401, Duration.ofSeconds(5));
  }

  /**
   * Verifies that a reload keeps the session through the HttpOnly cookie that page scripts cannot
   * read, that nothing is kept in web storage, and that signing out ends the session on the server.
   */
  @Test
  void reloadKeepsSessionAndLogoutEndsIt() {
    signOutIfSignedIn();
    signInAsOwner();
    Map<String, Object> cookie = browser.cookie("aiaas_refresh").orElseThrow();
    assertEquals(Boolean.TRUE, cookie.get("httpOnly"));
    assertEquals("Strict", cookie.get("sameSite"));
    assertEquals("/v1/auth", cookie.get("path"));
    assertFalse(String.valueOf(browser.script("return document.cookie")).contains("aiaas_refresh"));
    assertEquals(0L, browser.script("return localStorage.length + sessionStorage.length"));

    browser.driver().navigate().refresh();
    browser.awaitPage("Overview");
    browser.open("/console/usage");
    browser.awaitPage("Usage");
    String rotated = (String) browser.cookie("aiaas_refresh").orElseThrow().get("value");

    browser.driver().findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
    browser.await(By.id("signin-title"));
    assertTrue(browser.cookie("aiaas_refresh").isEmpty(), "logout clears the cookie");
    int refused = app.send(HttpRequest.newBuilder(app.uri("/v1/auth/refresh")).header("Content-Type", "application/json")
        .header("Cookie", "aiaas_refresh=" + rotated).POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode();
    assertEquals(401, refused, "the server ended the session");
    browser.driver().navigate().refresh();
    browser.await(By.id("signin-title"));
  }

  /** Verifies that the API's field error for a refused key is written beside the field, as the API wrote it. */
  @Test
  void keyFormShowsTheApisFieldErrors() {
    Api.Response refused = app.api().as(acme.ownerToken()).post("/v1/keys",
        new JsonObject().put("name", "no scopes").put("scopes", new JsonArray()));
    assertEquals(400, refused.status(), refused.toString());
    JsonObject error = refused.json().getJsonArray("errors").getJsonObject(0);
    assertEquals("scopes", error.getString("field"));
    signOutIfSignedIn();
    signInAsOwner();
    browser.navigate("API keys");

    browser.driver().findElement(By.cssSelector("input[name=name]")).sendKeys("no scopes");
    for (WebElement scope : browser.driver().findElements(By.cssSelector("input[name=scopes]:checked"))) {
      scope.click();
    }
    browser.driver().findElement(By.xpath("//button[normalize-space()='Create key']")).click();

    assertEquals(error.getString("message"), browser.await(By.id("scopes-error")).getText());
    assertTrue(browser.await(By.cssSelector("[role=alert]")).getText().contains(refused.json().getString("detail")));
  }

  /**
   * Verifies that the console refreshes its access token by itself before it expires: with the
   * page's long timers compressed (the 12-minute refresh timer fires after 2 s), the refresh cookie
   * rotates without any reload, and the pages keep working on the new token.
   */
  @Test
  void refreshesSilentlyBeforeExpiry() {
    signOutIfSignedIn();
    String compress = (String) browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
        "const realSetTimeout = window.setTimeout;"
            + "window.setTimeout = (f, ms, ...args) => realSetTimeout(f, ms > 60000 ? 2000 : ms, ...args);")).get("identifier");
    try {
      signInAsOwner();
      String first = (String) browser.cookie("aiaas_refresh").orElseThrow().get("value");

      String rotated = Eventually.until(() -> (String) browser.cookie("aiaas_refresh").orElseThrow().get("value"),
          value -> !value.equals(first), Duration.ofSeconds(20));

      Eventually.until(() -> (String) browser.cookie("aiaas_refresh").orElseThrow().get("value"),
          value -> !value.equals(rotated), Duration.ofSeconds(20));
      browser.navigate("Usage");
      browser.awaitGone(By.cssSelector("[role=alert]"));
      assertTrue(browser.driver().findElements(By.id("signin-title")).isEmpty(), "still signed in");
    } finally {
      browser.driver().executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", compress));
    }
  }

  /** Verifies that a viewer sees no page or control that changes anything. */
  @Test
  void viewerSeesNoControlThatChangesAnything() {
    signOutIfSignedIn();
    browser.signIn("viewer@" + acme.name() + ".test", TenantFixture.PASSWORD);
    browser.awaitPage("Overview");

    List<String> pages = browser.navigationTitles();
    assertFalse(pages.contains("API keys"), pages.toString());
    for (String page : pages) {
      if (page.equals("Account")) {
        continue; // everyone manages their own password and sessions there
      }
      browser.navigate(page);
      List<String> buttons = browser.driver().findElements(By.cssSelector("main button")).stream().map(WebElement::getText).toList();
      assertTrue(buttons.isEmpty(), page + " offers " + buttons);
    }
    browser.open("/console/keys");
    browser.awaitPage("Not allowed");
  }

  /** Verifies that the overview fits a 390 px wide phone without sideways scrolling. */
  @Test
  void overviewFitsAPhone() {
    signOutIfSignedIn();
    signInAsOwner();
    browser.size(ConsoleBrowser.PHONE);
    try {
      browser.driver().navigate().refresh();
      browser.awaitPage("Overview");
      browser.await(By.cssSelector("[data-testid=quota-predictions]"));
      assertTrue(browser.fitsWidth(), "the overview scrolls sideways at 390 px");
      browser.screenshot("overview-phone");
    } finally {
      browser.size(ConsoleBrowser.DESKTOP);
    }
  }
}

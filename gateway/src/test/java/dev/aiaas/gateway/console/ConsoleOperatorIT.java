package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.billing.BillingData;
import dev.aiaas.gateway.billing.BillingPeriod;
import dev.aiaas.gateway.billing.Rfc4180;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The operator's section of the console in a real headless Chromium against the real platform: a
 * plan with graduated tiers made in the form (its live preview equal to the API's), a tenant on
 * it, closing last month on the Billing page and the CSV export's totals equal to the invoices,
 * the platform page and its audit log; and that tenants neither see nor load any of it.
 */
class ConsoleOperatorIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final BillingPeriod PREVIOUS = BillingPeriod.containing(Instant.now()).previous();

  private static ConsoleBrowser browser;
  private static BillingData data;

  @BeforeAll
  static void startBrowser() {
    browser = new ConsoleBrowser(app.uri("/"));
    data = new BillingData(app);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (data != null) {
      data.close();
    }
  }

  private static Api admin() {
    return app.api().as(app.adminToken());
  }

  private static WebElement row(String text) {
    return browser.await(By.xpath("//tr[contains(., '" + text + "')]"));
  }

  private static void type(By by, String text) {
    WebElement input = browser.driver().findElement(by);
    input.clear();
    input.sendKeys(text);
  }

  private static void confirm(String label) {
    WebElement dialog = browser.await(By.cssSelector("[role=alertdialog]"));
    dialog.findElement(By.xpath(".//button[normalize-space()='" + label + "']")).click();
    browser.awaitGone(By.cssSelector("[role=alertdialog]"));
  }

  /**
   * Verifies that the operator creates a plan with two graduated tiers in the form (the live
   * preview pricing entered usage as the API does), creates a tenant on it with an owner, suspends
   * and resumes it, closes last month (in which the tenant used the plan) after a dialog showing
   * its totals, downloads the CSV export whose per-tenant totals equal the final invoices from the
   * API, opens the tenant's invoice, and reads the platform's readiness and audit log.
   */
  @Test
  void operatorCreatesPlanAndTenantClosesLastMonthAndExportsIt() {
    browser.signIn(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD);
    browser.awaitPage("Tenants");
    assertEquals(List.of("Tenants", "Plans", "Billing", "Platform"), browser.navigationTitles());

    // --- a plan with tiers, made in the form
    String planName = "graduated-" + UUID.randomUUID().toString().substring(0, 8);
    browser.navigate("Plans");
    browser.driver().findElement(By.xpath("//button[normalize-space()='New plan']")).click();
    browser.await(By.id("plan-form-title"));
    type(By.cssSelector("input[name=name]"), planName);
    type(By.cssSelector("input[name=base_fee]"), "10.00");
    browser.driver().findElement(By.cssSelector("input[name='limits.api_calls.unlimited']")).click();
    type(By.cssSelector("input[name='limits.api_calls']"), "100000");
    browser.driver().findElement(By.cssSelector("input[name='soft_limits.api_calls']")).click();
    WebElement predictions = browser.driver().findElement(By.cssSelector("[data-testid=price-predictions]"));
    new Select(predictions.findElement(By.cssSelector("select[name='prices.predictions']"))).selectByValue("tiers");
    type(By.cssSelector("input[name='prices.predictions.tiers[0].up_to']"), "100");
    type(By.cssSelector("input[name='prices.predictions.tiers[0].unit_price']"), "0.50");
    predictions.findElement(By.xpath(".//button[contains(., 'Add tier')]")).click();
    type(By.cssSelector("input[name='prices.predictions.tiers[1].unit_price']"), "0.25");
    // A third row, removed again: the form sends the two that remain.
    predictions.findElement(By.xpath(".//button[contains(., 'Add tier')]")).click();
    predictions.findElement(By.xpath(".//button[contains(., 'Remove tier 3')]")).click();
    assertEquals(2, predictions.findElements(By.cssSelector("[data-testid=tier-row]")).size());
    type(By.id("preview-predictions"), "150");

    // The preview is the API's price of the plan as entered: 10 + 100 x 0.50 + 50 x 0.25.
    JsonObject unsaved = new JsonObject().put("name", planName).put("currency", "USD").put("base_fee", "10.00")
        .put("prices", new JsonObject().put("predictions", new JsonObject().put("tiers", new JsonArray()
            .add(new JsonObject().put("up_to", 100).put("unit_price", "0.50"))
            .add(new JsonObject().putNull("up_to").put("unit_price", "0.25")))));
    Api.Response apiPreview = admin().post("/v1/admin/plans/preview",
        new JsonObject().put("plan", unsaved).put("usage", new JsonObject().put("predictions", "150")));
    assertEquals(200, apiPreview.status(), apiPreview::toString);
    assertDecimal("72.50", apiPreview.json().getString("total"));
    Eventually.until(() -> browser.driver().findElement(By.cssSelector("[data-testid=preview-total]")).getAttribute("data-amount"),
        shown -> new BigDecimal(shown).compareTo(new BigDecimal(apiPreview.json().getString("total"))) == 0, Duration.ofSeconds(15));
    // Typing is debounced: the form above took dozens of keystrokes, the preview far fewer calls.
    long previews = (Long) browser.script("return performance.getEntriesByType('resource')"
        + ".filter(e => e.name.includes('/v1/admin/plans/preview')).length");
    assertTrue(previews >= 1 && previews < 25, previews + " preview calls");
    browser.checkAndCapture("operator-plans");
    browser.driver().findElement(By.xpath("//button[normalize-space()='Create plan']")).click();
    browser.awaitText(By.cssSelector("main [role=status]"), "Plan " + planName + " saved");

    JsonObject plan = admin().get("/v1/admin/plans").data().stream().map(JsonObject.class::cast)
        .filter(p -> planName.equals(p.getString("name"))).findFirst().orElseThrow();
    assertEquals(100000, plan.getJsonObject("limits").getInteger("api_calls"));
    assertEquals(new JsonArray().add("api_calls"), plan.getJsonArray("soft_limits"));
    assertEquals(null, plan.getValue("rate_limit"));
    JsonArray tiers = plan.getJsonObject("prices").getJsonObject("predictions").getJsonArray("tiers");
    assertEquals(2, tiers.size(), tiers::encode);
    assertEquals(100, tiers.getJsonObject(0).getInteger("up_to"));
    assertDecimal("0.50", tiers.getJsonObject(0).getString("unit_price"));
    assertEquals(null, tiers.getJsonObject(1).getValue("up_to"));
    assertDecimal("0.25", tiers.getJsonObject(1).getString("unit_price"));

    // --- edited: the form holds the stored plan, and a new rate limit saved from it keeps the tiers
    browser.driver().findElement(By.xpath("//tr[contains(., '" + planName + "')]//button[contains(., 'Edit')]")).click();
    browser.awaitText(By.id("plan-form-title"), "Edit plan " + planName);
    assertEquals("100", browser.driver().findElement(By.cssSelector("input[name='prices.predictions.tiers[0].up_to']")).getAttribute("value"));
    assertEquals("", browser.driver().findElement(By.cssSelector("input[name='prices.predictions.tiers[1].up_to']")).getAttribute("value"));
    assertEquals("100000", browser.driver().findElement(By.cssSelector("input[name='limits.api_calls']")).getAttribute("value"));
    browser.driver().findElement(By.cssSelector("input[name='rate_limit.unlimited']")).click();
    type(By.cssSelector("input[name='rate_limit.requests_per_second']"), "50");
    browser.driver().findElement(By.xpath("//button[normalize-space()='Save plan']")).click();
    browser.awaitText(By.cssSelector("main [role=status]"), "Plan " + planName + " saved");
    JsonObject edited = admin().get("/v1/admin/plans").data().stream().map(JsonObject.class::cast)
        .filter(p -> planName.equals(p.getString("name"))).findFirst().orElseThrow();
    assertEquals(50, edited.getJsonObject("rate_limit").getInteger("requests_per_second"));
    assertEquals(plan.getJsonObject("prices"), edited.getJsonObject("prices"));
    assertEquals(plan.getJsonObject("limits"), edited.getJsonObject("limits"));
    assertEquals(plan.getJsonArray("soft_limits"), edited.getJsonArray("soft_limits"));

    // --- a tenant on it, with an owner; suspended and resumed
    String tenantName = "shop-" + UUID.randomUUID().toString().substring(0, 8);
    browser.navigate("Tenants");
    type(By.cssSelector("form[aria-labelledby=create-tenant-title] input[name=name]"), tenantName);
    new Select(browser.driver().findElement(By.cssSelector("form[aria-labelledby=create-tenant-title] select[name=plan]")))
        .selectByValue(planName);
    browser.driver().findElement(By.xpath("//button[normalize-space()='Create tenant']")).click();
    row(tenantName);
    JsonObject tenant = admin().get("/v1/admin/tenants").data().stream().map(JsonObject.class::cast)
        .filter(t -> tenantName.equals(t.getString("name"))).findFirst().orElseThrow();
    assertEquals(planName, tenant.getString("plan"));
    String tenantId = tenant.getString("id");

    row(tenantName).findElement(By.xpath(".//button[contains(., 'Users')]")).click();
    browser.awaitText(By.id("tenant-users-title"), tenantName);
    String ownerEmail = "owner@" + tenantName + ".test";
    type(By.cssSelector("form[aria-label^='Add a user'] input[name=email]"), ownerEmail);
    type(By.cssSelector("form[aria-label^='Add a user'] input[name=password]"), TenantFixture.PASSWORD);
    browser.driver().findElement(By.xpath("//button[normalize-space()='Add user']")).click();
    row(ownerEmail);
    assertEquals("owner", admin().get("/v1/admin/tenants/" + tenantId + "/users").data().getJsonObject(0).getString("role"));

    row(tenantName).findElement(By.xpath(".//button[contains(., 'Suspend')]")).click();
    confirm("Suspend tenant");
    browser.awaitText(By.xpath("//tr[contains(., '" + tenantName + "')]"), "suspended");
    assertEquals("suspended", tenantStatus(tenantId));
    row(tenantName).findElement(By.xpath(".//button[contains(., 'Resume')]")).click();
    confirm("Resume tenant");
    browser.awaitText(By.xpath("//tr[contains(., '" + tenantName + "')]"), "active");
    assertEquals("active", tenantStatus(tenantId));
    browser.checkAndCapture("operator-tenants");

    // --- last month's usage, as the billing tests record a past month
    data.backdatePlan(tenantId, PREVIOUS.start());
    data.usage(tenantId, Metric.PREDICTIONS, PREVIOUS.start().plus(Duration.ofDays(3)), "100", "50");
    JsonObject period = periodSummary();
    assertEquals("ended", period.getString("state"));

    // --- close it in the page, after a dialog showing its totals
    browser.navigate("Billing");
    WebElement previousRow = row(PREVIOUS.toString());
    assertTrue(previousRow.getText().contains("ended"), previousRow.getText());
    previousRow.findElement(By.xpath(".//button[contains(., 'Close')]")).click();
    WebElement dialog = browser.await(By.cssSelector("[role=alertdialog]"));
    String totals = period.getJsonArray("totals").stream().map(JsonObject.class::cast)
        .map(t -> {
          assertEquals("USD", t.getString("currency"));
          // The page shows cents; the exact amounts are the export's.
          return "$" + new BigDecimal(t.getString("total")).setScale(2, RoundingMode.HALF_UP).toPlainString();
        }).reduce((a, b) -> a + " · " + b).orElseThrow();
    assertTrue(dialog.findElement(By.cssSelector("[data-testid=close-totals]")).getText().contains(totals),
        dialog.getText() + " shows " + totals);
    confirm("Close " + PREVIOUS);
    browser.awaitText(By.xpath("//tr[contains(., '" + PREVIOUS + "')]"), "closed");
    assertEquals("closed", periodSummary().getString("state"));

    // --- the CSV export: its totals per tenant are the final invoices' totals
    new Select(browser.driver().findElement(By.id("export-period"))).selectByValue(PREVIOUS.toString());
    new Select(browser.driver().findElement(By.id("export-format"))).selectByValue("csv");
    String csv = browser.download(By.xpath("//button[normalize-space()='Download export']"));
    List<List<String>> records = Rfc4180.parse(csv);
    List<String> header = records.get(0);
    int tenantColumn = header.indexOf("tenant_id");
    int amountColumn = header.indexOf("amount");
    int statusColumn = header.indexOf("invoice_status");
    Map<String, BigDecimal> exported = new HashMap<>();
    for (List<String> record : records.subList(1, records.size())) {
      assertEquals("final", record.get(statusColumn), record::toString);
      exported.merge(record.get(tenantColumn), new BigDecimal(record.get(amountColumn)), BigDecimal::add);
    }
    assertTrue(exported.containsKey(tenantId), csv);
    for (Map.Entry<String, BigDecimal> total : exported.entrySet()) {
      JsonObject invoice = admin().get("/v1/admin/tenants/" + total.getKey() + "/invoices/" + PREVIOUS).json();
      assertEquals("final", invoice.getString("status"));
      assertDecimal(invoice.getString("total"), total.getValue().toPlainString());
    }
    assertDecimal("72.50", exported.get(tenantId).toPlainString());

    // --- the tenant's invoice in the page
    new Select(browser.driver().findElement(By.id("invoice-tenant"))).selectByValue(tenantId);
    new Select(browser.driver().findElement(By.id("invoice-period"))).selectByValue(PREVIOUS.toString());
    browser.awaitText(By.id("invoice-title"), PREVIOUS + " final");
    assertDecimal(exported.get(tenantId).toPlainString(),
        browser.driver().findElement(By.cssSelector("[data-testid=invoice-total]")).getAttribute("data-amount"));
    browser.awaitText(By.cssSelector("main"), "tier 0 to 100");
    browser.checkAndCapture("operator-billing");

    // --- the platform: readiness and the audit log, filtered
    browser.navigate("Platform");
    browser.awaitText(By.cssSelector("[data-testid=database-status]"), "UP");
    String schema = admin().get("/v1/admin/platform").json().getJsonObject("database").getString("schema_version");
    browser.awaitText(By.cssSelector("[data-testid=database-status]"), "schema version " + schema);
    browser.awaitText(By.cssSelector("section[aria-labelledby=audit-title] table"), "tenant.updated");
    type(By.cssSelector("input[name=action]"), "tenant.updated");
    browser.driver().findElement(By.xpath("//button[normalize-space()='Apply filters']")).click();
    int updates = admin().get("/v1/admin/audit?action=tenant.updated").data().size();
    Eventually.until(() -> browser.driver().findElements(By.xpath("//section[@aria-labelledby='audit-title']//tbody/tr")).stream()
        .map(WebElement::getText).toList(),
        rows -> rows.size() == updates && rows.stream().allMatch(r -> r.contains("tenant.updated")), Duration.ofSeconds(15));
    browser.checkAndCapture("operator-platform");

    // --- and every operator page, the plan form included, fits a phone without sideways scrolling
    browser.size(ConsoleBrowser.PHONE);
    List<String> tooWide = new ArrayList<>();
    try {
      for (String[] page : new String[][] {{"tenants", "Tenants"}, {"plans", "Plans"}, {"billing", "Billing"}, {"platform", "Platform"}}) {
        browser.open("/console/operator/" + page[0]);
        browser.awaitPage(page[1]);
        if (page[0].equals("plans")) {
          browser.driver().findElement(By.xpath("//button[normalize-space()='New plan']")).click();
          new Select(browser.await(By.cssSelector("select[name='prices.api_calls']"))).selectByValue("tiers");
        }
        if (!browser.fitsWidth()) {
          tooWide.add(page[0] + ": " + browser.script("return document.documentElement.scrollWidth + ' wide: ' + "
              + "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
              + ".slice(-8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"));
        }
      }
      assertTrue(tooWide.isEmpty(), "scroll sideways at 390 px: " + tooWide);
    } finally {
      browser.size(ConsoleBrowser.DESKTOP);
    }
  }

  /**
   * Verifies that the operator erases a suspended tenant from the Tenants page only after typing
   * its name in the dialog (the action stays disabled on a wrong name), that the row then shows
   * the tenant as erased with no plan, suspend, resume or erase action, and that its API key is
   * refused.
   */
  @Test
  void operatorErasesASuspendedTenantAfterTypingItsName() {
    TenantFixture doomed = TenantFixture.create(app, "doomed");
    assertEquals(200, app.api().as(doomed.key()).get("/v1/models").status());
    try (ConsoleBrowser operator = new ConsoleBrowser(app.uri("/"))) {
      operator.signIn(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD);
      operator.awaitPage("Tenants");
      By tenantRow = By.xpath("//tr[contains(., '" + doomed.name() + "')]");
      // An active tenant cannot be erased: the API wants it suspended first, so the page offers no Erase.
      assertTrue(operator.await(tenantRow).findElements(By.xpath(".//button[contains(., 'Erase')]")).isEmpty());
      operator.await(tenantRow).findElement(By.xpath(".//button[contains(., 'Suspend')]")).click();
      WebElement suspendDialog = operator.await(By.cssSelector("[role=alertdialog]"));
      suspendDialog.findElement(By.xpath(".//button[normalize-space()='Suspend tenant']")).click();
      operator.awaitGone(By.cssSelector("[role=alertdialog]"));
      operator.awaitText(tenantRow, "suspended");

      operator.await(tenantRow).findElement(By.xpath(".//button[contains(., 'Erase')]")).click();
      WebElement dialog = operator.await(By.cssSelector("[role=alertdialog]"));
      WebElement eraseButton = dialog.findElement(By.xpath(".//button[normalize-space()='Erase tenant']"));
      assertFalse(eraseButton.isEnabled(), "erase is offered before the name is typed");
      WebElement confirmInput = dialog.findElement(By.cssSelector("input[name=confirm]"));
      confirmInput.sendKeys(doomed.name().substring(0, doomed.name().length() - 1));
      assertFalse(eraseButton.isEnabled(), "erase is offered for a name with its last letter missing");
      for (String scheme : List.of("light", "dark")) {
        operator.colorScheme(scheme);
        operator.assertAccessible("erase dialog (" + scheme + ")");
      }
      operator.colorScheme("light");
      confirmInput.sendKeys(doomed.name().substring(doomed.name().length() - 1));
      assertTrue(eraseButton.isEnabled(), "erase stays disabled with the name typed");
      eraseButton.click();
      operator.awaitGone(By.cssSelector("[role=alertdialog]"));

      operator.awaitText(tenantRow, "erased");
      assertEquals("erased", tenantStatus(doomed.id()));
      WebElement erased = operator.await(tenantRow);
      for (String action : List.of("Suspend", "Resume", "Erase", "Users")) {
        assertTrue(erased.findElements(By.xpath(".//button[contains(., '" + action + "')]")).isEmpty(),
            action + " is offered for an erased tenant: " + erased.getText());
      }
      assertFalse(erased.findElement(By.cssSelector("select")).isEnabled(), "the plan of an erased tenant can be changed");
      operator.assertAccessible("tenants with an erased one");
    }
    // Its API key was erased with it: the platform no longer knows it.
    assertEquals(401, app.api().as(doomed.key()).get("/v1/models").status());
  }

  /**
   * Verifies that a tenant's owner sees no operator page in the navigation, gets "Page not found"
   * at an operator page's address, and that their console never loaded the operator's code.
   */
  @Test
  void tenantsNeitherSeeNorLoadTheOperatorSection() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    try (ConsoleBrowser owner = new ConsoleBrowser(app.uri("/"))) {
      owner.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
      owner.awaitPage("Overview");
      List<String> pages = owner.navigationTitles();
      assertFalse(pages.contains("Tenants") || pages.contains("Plans") || pages.contains("Platform"), pages.toString());
      @SuppressWarnings("unchecked")
      List<String> loaded = (List<String>) owner.script("return performance.getEntriesByType('resource').map(e => e.name)");
      assertTrue(loaded.stream().noneMatch(n -> n.contains("TenantsPage") || n.contains("PlansPage") || n.contains("PlatformPage")),
          loaded.toString());
      owner.open("/console/operator/tenants");
      owner.awaitPage("Page not found");
    }
  }

  private static String tenantStatus(String id) {
    return admin().get("/v1/admin/tenants").data().stream().map(JsonObject.class::cast)
        .filter(t -> id.equals(t.getString("id"))).findFirst().orElseThrow().getString("status");
  }

  private static JsonObject periodSummary() {
    return admin().get("/v1/admin/billing/periods").data().stream().map(JsonObject.class::cast)
        .filter(p -> PREVIOUS.toString().equals(p.getString("period"))).findFirst().orElseThrow();
  }

  private static void assertDecimal(String expected, String actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual)), () -> expected + " != " + actual);
  }
}

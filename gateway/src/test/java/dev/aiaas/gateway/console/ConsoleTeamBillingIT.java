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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's Team, Account and Billing pages in a real headless Chromium against the real
 * platform: who sees them, inviting and removing a member (whose open session ends at once), the
 * draft invoice as the API computes it, accessibility in light and dark, and their screenshots.
 */
class ConsoleTeamBillingIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static ConsoleBrowser owner;
  private static TenantFixture acme;

  @BeforeAll
  static void startBrowser() {
    // A plan with a base fee and graduated tiers, so the draft invoice has lines and tiers to show.
    Api admin = app.api().as(app.adminToken());
    Api.Response plan = admin.post("/v1/admin/plans", new JsonObject()
        .put("name", "tiered").put("currency", "USD").put("base_fee", "49.00")
        .put("limits", new JsonObject().put("api_calls", 100000))
        .put("prices", new JsonObject().put("api_calls", new JsonObject().put("tiers", new JsonArray()
            .add(new JsonObject().put("up_to", 2).put("unit_price", "0.50"))
            .add(new JsonObject().put("up_to", null).put("unit_price", "0.25"))))));
    assertEquals(201, plan.status(), plan.toString());
    acme = TenantFixture.create(app, "acme", "tiered");
    owner = new ConsoleBrowser(app.uri("/"));
  }

  @AfterAll
  static void stopBrowser() {
    if (owner != null) {
      owner.close();
    }
  }

  private static void signInAsOwner() {
    owner.open("/console/");
    owner.await(By.cssSelector("#signin-title, nav[aria-label=Main]"));
    if (owner.driver().findElements(By.cssSelector("nav[aria-label=Main]")).isEmpty()) {
      owner.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
    }
    owner.awaitPage("Overview");
  }

  /**
   * Verifies that an owner invites a developer who signs in and sees neither Billing nor Team (the
   * billing address says "Not allowed"), and that when the owner removes them their open session
   * ends at once: their next action lands on sign-in.
   */
  @Test
  void ownerInvitesDeveloperThenRemovalEndsTheirSession() {
    signInAsOwner();
    owner.navigate("Team");
    String email = "newdev@" + acme.name() + ".test";
    owner.driver().findElement(By.cssSelector("form input[name=email]")).sendKeys(email);
    owner.driver().findElement(By.cssSelector("form input[name=password]")).sendKeys(TenantFixture.PASSWORD);
    new Select(owner.driver().findElement(By.cssSelector("form select[name=role]"))).selectByVisibleText("developer");
    owner.driver().findElement(By.xpath("//button[normalize-space()='Invite']")).click();
    owner.awaitText(By.cssSelector("table"), email);
    JsonObject invited = app.api().as(acme.ownerToken()).get("/v1/users").data().stream().map(JsonObject.class::cast)
        .filter(u -> email.equals(u.getString("email"))).findFirst().orElseThrow();
    assertEquals("developer", invited.getString("role"));

    try (ConsoleBrowser developer = new ConsoleBrowser(app.uri("/"))) {
      developer.signIn(email, TenantFixture.PASSWORD);
      developer.awaitPage("Overview");
      List<String> pages = developer.navigationTitles();
      assertFalse(pages.contains("Billing") || pages.contains("Team"), pages.toString());
      assertTrue(pages.contains("Account"), pages.toString());
      developer.open("/console/billing");
      developer.awaitPage("Not allowed");
      assertTrue(developer.driver().findElement(By.id("main")).getText().contains("does not allow the Billing page"));
      developer.navigate("Overview");

      // The owner's table now shows the member's first sign-in.
      owner.driver().navigate().refresh();
      owner.awaitPage("Team");
      owner.awaitText(By.xpath("//tr[contains(., '" + email + "')]"), "developer");
      assertFalse(owner.driver().findElement(By.xpath("//tr[contains(., '" + email + "')]")).getText().contains("never"),
          "the last sign-in is shown");
      owner.checkAndCapture("team");

      owner.driver().findElement(By.xpath("//tr[contains(., '" + email + "')]//button[contains(., 'Remove')]")).click();
      WebElement dialog = owner.await(By.cssSelector("[role=alertdialog]"));
      dialog.findElement(By.xpath(".//button[normalize-space()='Remove member']")).click();
      owner.awaitGone(By.cssSelector("[role=alertdialog]"));
      owner.awaitGone(By.xpath("//tr[contains(., '" + email + "')]"));

      // No reload: the developer's very next click is refused and lands on sign-in.
      long removedAt = System.nanoTime();
      developer.driver().findElement(By.cssSelector("nav[aria-label=Main]")).findElement(By.linkText("Usage")).click();
      developer.awaitText(By.cssSelector("main"), "Your session ended");
      developer.await(By.id("signin-title"));
      assertTrue(Duration.ofNanos(System.nanoTime() - removedAt).toSeconds() < 10, "the session ended at once");
    }
  }

  /** Verifies that demoting the tenant's only owner is refused and the page shows the API's words for it. */
  @Test
  void lastOwnerDemotionShowsTheApisProblem() {
    Api asOwner = app.api().as(acme.ownerToken());
    String ownerId = asOwner.get("/v1/users").data().stream().map(JsonObject.class::cast)
        .filter(u -> acme.ownerEmail().equals(u.getString("email"))).findFirst().orElseThrow().getString("id");
    Api.Response refused = asOwner.patch("/v1/users/" + ownerId, new JsonObject().put("role", "developer"));
    assertEquals(409, refused.status(), refused.toString());
    signInAsOwner();
    owner.navigate("Team");

    new Select(owner.driver().findElement(By.cssSelector("select[aria-label='Role of " + acme.ownerEmail() + "']")))
        .selectByVisibleText("developer");

    WebElement alert = owner.await(By.cssSelector("main [role=alert]"));
    assertTrue(alert.getText().contains(refused.json().getString("detail")), alert.getText());
    owner.awaitText(By.xpath("//tr[contains(., '" + acme.ownerEmail() + "')]"), "owner");
  }

  /**
   * Verifies that the owner's billing page shows the current draft invoice with the same total
   * as the API, its tiers, and a CSV download whose total row carries that total.
   */
  @Test
  void ownerSeesDraftInvoiceTotalEqualToTheApis() {
    Api withKey = app.api().as(acme.key());
    for (int i = 0; i < 5; i++) {
      assertEquals(200, withKey.get("/v1/whoami").status());
    }
    String period = YearMonth.now(ZoneOffset.UTC).toString();
    Api asOwner = app.api().as(acme.ownerToken());
    // Usage is metered asynchronously: wait until the draft has priced the calls in tiers.
    Eventually.until(() -> asOwner.get("/v1/invoices/" + period).json(),
        inv -> inv.getJsonArray("lines").stream().map(JsonObject.class::cast).anyMatch(l -> !l.getJsonArray("tiers").isEmpty()),
        Duration.ofSeconds(30));
    signInAsOwner();

    String shown = Eventually.until(() -> {
      owner.open("/console/billing");
      owner.awaitPage("Billing");
      return owner.await(By.cssSelector("[data-testid=invoice-total]")).getAttribute("data-amount");
    }, amount -> amount.equals(asOwner.get("/v1/invoices/" + period).json().getString("total")), Duration.ofSeconds(30));
    assertTrue(owner.driver().findElement(By.id("invoice-title")).getText().contains(period));
    owner.awaitText(By.cssSelector("table"), "tier 0 to 2");
    String text = owner.driver().findElement(By.cssSelector("[data-testid=invoice-total]")).getText();
    // The page shows cents; the exact amount is in the CSV below.
    assertEquals("$" + new BigDecimal(shown).setScale(2, RoundingMode.HALF_UP).toPlainString(), text.replace(",", ""));
    owner.checkAndCapture("billing");

    String csv = owner.download(By.linkText("Download CSV"));
    assertTrue(csv.startsWith("period,type,metric,description,quantity,unit_price,amount,currency\r\n"), csv);
    assertTrue(csv.contains("\r\n" + period + ",total,,draft invoice,,," + shown + ",USD\r\n"), csv);
    assertTrue(csv.contains("," + "tier,api_calls,"), csv);
  }

  /**
   * Verifies that the account page lists the user's own sessions (this one marked), refuses a
   * wrong current password with the API's words, and that "Sign out everywhere" ends every
   * session, the other browser's too.
   */
  @Test
  void accountShowsSessionsAndSignsOutEverywhere() {
    String email = "account@" + acme.name() + ".test";
    Api asOwner = app.api().as(acme.ownerToken());
    assertEquals(201, asOwner.post("/v1/users",
        new JsonObject().put("email", email).put("password", TenantFixture.PASSWORD).put("role", "viewer")).status());
    String otherToken = app.api().login(email, TenantFixture.PASSWORD);
    try (ConsoleBrowser viewer = new ConsoleBrowser(app.uri("/"))) {
      viewer.signIn(email, TenantFixture.PASSWORD);
      viewer.awaitPage("Overview");
      viewer.navigate("Account");
      viewer.awaitText(By.cssSelector("table"), "this session");
      assertEquals(2, viewer.driver().findElements(By.cssSelector("table tbody tr")).size(), "this session and the API's");
      viewer.checkAndCapture("account");

      Api.Response wrong = app.api().as(otherToken).post("/v1/auth/password",
          new JsonObject().put("current_password", "not the password").put("new_password", "another long password"));
      assertEquals(400, wrong.status(), wrong.toString());
      viewer.driver().findElement(By.cssSelector("input[name=current_password]")).sendKeys("not the password either");
      viewer.driver().findElement(By.cssSelector("input[name=new_password]")).sendKeys("another long password");
      viewer.driver().findElement(By.xpath("//button[normalize-space()='Change password']")).click();
      assertTrue(viewer.await(By.cssSelector("main [role=alert]")).getText().contains(wrong.json().getString("detail")));

      viewer.driver().findElement(By.xpath("//main//button[normalize-space()='Sign out everywhere']")).click();
      WebElement dialog = viewer.await(By.cssSelector("[role=alertdialog]"));
      dialog.findElement(By.xpath(".//button[normalize-space()='Sign out everywhere']")).click();
      viewer.await(By.id("signin-title"));
      Eventually.until(() -> app.api().as(otherToken).get("/v1/whoami").status(), status -> status == 401, Duration.ofSeconds(5));
    }
  }
}

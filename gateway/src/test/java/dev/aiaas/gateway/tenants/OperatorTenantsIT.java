package dev.aiaas.gateway.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's tenant pages' API: the tenant list with usage and drafts, and managing a tenant's users. */
class OperatorTenantsIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static Api admin() {
    return app.api().as(app.adminToken());
  }

  /**
   * Verifies that each listed tenant's usage this month and draft total equal what its invoice
   * endpoint answers, and that the list pages by limit and offset.
   */
  @Test
  void listShowsUsageAndDraftTotalsEqualToTheInvoices() {
    String plan = "metered-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin().post("/v1/admin/plans", new JsonObject().put("name", plan).put("base_fee", "10.00")
        .put("prices", new JsonObject().put("api_calls", new JsonObject().put("unit_price", "0.50")))).status());
    TenantFixture busy = TenantFixture.create(app, "busy", plan);
    TenantFixture quiet = TenantFixture.create(app, "quiet", plan);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, app.api().as(busy.key()).get("/v1/tenant").status());
    }
    assertEquals(200, app.api().as(quiet.key()).get("/v1/tenant").status());
    String period = YearMonth.now(ZoneOffset.UTC).toString();

    JsonArray tenants = admin().get("/v1/admin/tenants").data();

    for (TenantFixture fixture : new TenantFixture[] {busy, quiet}) {
      JsonObject listed = tenants.stream().map(JsonObject.class::cast).filter(t -> t.getString("id").equals(fixture.id()))
          .findFirst().orElseThrow(() -> new AssertionError(fixture.id() + " not in " + tenants.encode()));
      JsonObject invoice = admin().get("/v1/admin/tenants/" + fixture.id() + "/invoices/" + period).json();
      JsonObject calls = invoice.getJsonArray("lines").stream().map(JsonObject.class::cast)
          .filter(l -> "api_calls".equals(l.getString("metric"))).findFirst().orElseThrow(() -> new AssertionError(invoice.encode()));
      assertEquals(period, listed.getJsonObject("usage").getString("period"));
      assertDecimal(calls.getString("quantity"), listed.getJsonObject("usage").getJsonObject("metrics").getString("api_calls"));
      JsonObject draft = listed.getJsonObject("draft_invoice");
      assertDecimal(invoice.getString("total"), draft.getString("total"));
      assertEquals(invoice.getString("currency"), draft.getString("currency"));
      assertEquals("draft", draft.getString("status"));
    }
    JsonObject busyRow = tenants.stream().map(JsonObject.class::cast).filter(t -> t.getString("id").equals(busy.id())).findFirst().orElseThrow();
    assertTrue(new BigDecimal(busyRow.getJsonObject("usage").getJsonObject("metrics").getString("api_calls")).intValue() >= 3, busyRow::encode);

    Api.Response first = admin().get("/v1/admin/tenants?limit=1");
    assertEquals(1, first.data().size(), first::toString);
    assertEquals(1, first.json().getInteger("next_offset"));
    Api.Response second = admin().get("/v1/admin/tenants?limit=1&offset=1");
    assertFalse(first.data().getJsonObject(0).getString("id").equals(second.data().getJsonObject(0).getString("id")));
    assertNull(admin().get("/v1/admin/tenants?limit=500").json().getValue("next_offset"));
    assertEquals(400, admin().get("/v1/admin/tenants?limit=0").status());
  }

  /**
   * Verifies that the operator changes a role and removes a user, each ending that user's
   * sessions at once and audited, and that the last owner can be neither demoted nor removed.
   */
  @Test
  void operatorManagesATenantsUsersAndTheLastOwnerStays() {
    TenantFixture acme = TenantFixture.create(app, "people");
    String base = "/v1/admin/tenants/" + acme.id() + "/users/";
    String ownerId = userId(acme, acme.ownerEmail());
    String devId = userId(acme, "dev@" + acme.name() + ".test");
    String viewerId = userId(acme, "viewer@" + acme.name() + ".test");

    Api.Response demoteLast = admin().patch(base + ownerId, new JsonObject().put("role", "viewer"));
    Api.Response removeLast = admin().delete(base + ownerId);
    assertEquals(409, demoteLast.status(), demoteLast::toString);
    assertEquals("last-owner", demoteLast.problem());
    assertEquals(409, removeLast.status(), removeLast::toString);
    assertEquals("owner", role(acme, ownerId));

    Api.Response promoted = admin().patch(base + devId, new JsonObject().put("role", "owner"));
    assertEquals(200, promoted.status(), promoted::toString);
    assertEquals("owner", promoted.json().getString("role"));
    signedOut(acme.developerToken());
    assertEquals(200, admin().patch(base + ownerId, new JsonObject().put("role", "viewer")).status(), "another owner exists now");
    assertEquals("viewer", role(acme, ownerId));

    assertEquals(200, app.api().as(acme.viewerToken()).get("/v1/tenant").status());
    assertEquals(204, admin().delete(base + viewerId).status());
    signedOut(acme.viewerToken());
    assertFalse(admin().get("/v1/admin/tenants/" + acme.id() + "/users").body().contains(viewerId));
    assertEquals(401, app.api().post("/v1/auth/login", new JsonObject().put("email", "viewer@" + acme.name() + ".test")
        .put("password", TenantFixture.PASSWORD)).status(), "a removed user cannot sign in");

    JsonArray audit = admin().get("/v1/admin/audit?tenant_id=" + acme.id()).json().getJsonArray("data");
    assertTrue(audit.encode().contains("user.removed") && audit.encode().contains("user.role_changed"), audit::encode);
  }

  /** Verifies that unknown users, users of another tenant and bad roles are refused, and tenant owners get 403. */
  @Test
  void badUserRequestsAreRefused() {
    TenantFixture a = TenantFixture.create(app, "a");
    TenantFixture b = TenantFixture.create(app, "b");
    String bDev = userId(b, "dev@" + b.name() + ".test");
    assertEquals(404, admin().delete("/v1/admin/tenants/" + a.id() + "/users/" + bDev).status());
    assertEquals(404, admin().patch("/v1/admin/tenants/" + a.id() + "/users/" + UUID.randomUUID(),
        new JsonObject().put("role", "viewer")).status());
    Api.Response badRole = admin().patch("/v1/admin/tenants/" + b.id() + "/users/" + bDev, new JsonObject().put("role", "admin"));
    assertEquals(400, badRole.status(), badRole::toString);
    assertTrue(badRole.body().contains("role"), badRole::toString);
    Api owner = app.api().as(b.ownerToken());
    assertEquals(403, owner.patch("/v1/admin/tenants/" + b.id() + "/users/" + bDev, new JsonObject().put("role", "viewer")).status());
    assertEquals(403, owner.delete("/v1/admin/tenants/" + b.id() + "/users/" + bDev).status());
    assertEquals(403, owner.get("/v1/admin/tenants").status());
    assertEquals("developer", role(b, bDev));
  }

  private static void signedOut(String token) {
    int status = Eventually.until(() -> app.api().as(token).get("/v1/tenant").status(), s -> s == 401, Duration.ofSeconds(1));
    assertEquals(401, status, "the session ended at once");
  }

  private static String userId(TenantFixture tenant, String email) {
    return admin().get("/v1/admin/tenants/" + tenant.id() + "/users").data().stream().map(JsonObject.class::cast)
        .filter(u -> u.getString("email").equals(email)).findFirst().orElseThrow().getString("id");
  }

  private static String role(TenantFixture tenant, String userId) {
    return admin().get("/v1/admin/tenants/" + tenant.id() + "/users").data().stream().map(JsonObject.class::cast)
        .filter(u -> u.getString("id").equals(userId)).findFirst().orElseThrow().getString("role");
  }

  private static void assertDecimal(String expected, String actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual)), () -> expected + " vs " + actual);
  }
}

package dev.aiaas.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's view of the audit log: every tenant, filters, pagination like /v1/audit, admins only. */
class AdminAuditIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;
  private static TenantFixture globex;
  private static Api admin;
  private static Instant start;

  @BeforeAll
  static void tenants() {
    start = Instant.now().minusSeconds(5);
    acme = TenantFixture.create(app, "acme");
    globex = TenantFixture.create(app, "globex");
    admin = app.api().as(app.adminToken());
  }

  private static List<JsonObject> events(String query) {
    Api.Response page = admin.get("/v1/admin/audit?" + query);
    assertEquals(200, page.status(), page.toString());
    return page.data().stream().map(JsonObject.class::cast).toList();
  }

  private static String time(Instant instant) {
    return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
  }

  /** Verifies that the operator sees every tenant's events, and that the tenant filter keeps one tenant's only. */
  @Test
  void everyTenantAndTheTenantFilter() {
    List<JsonObject> all = events("limit=200");
    Set<String> tenants = new HashSet<>();
    all.forEach(e -> tenants.add(e.getString("tenant_id")));
    assertTrue(tenants.containsAll(Set.of(acme.id(), globex.id())), tenants.toString());

    List<JsonObject> acmeOnly = events("tenant_id=" + acme.id() + "&limit=200");
    assertFalse(acmeOnly.isEmpty());
    assertTrue(acmeOnly.stream().allMatch(e -> acme.id().equals(e.getString("tenant_id"))), acmeOnly.toString());
    assertTrue(acmeOnly.stream().anyMatch(e -> e.getString("action").equals("api_key.created")));
  }

  /** Verifies that the action and actor filters combine, and that the admin's own events (no tenant) are there. */
  @Test
  void actionAndActorFilters() {
    String ownerId = app.api().as(acme.ownerToken()).get("/v1/whoami").json().getString("id");
    String adminId = admin.get("/v1/whoami").json().getString("id");

    List<JsonObject> keys = events("action=api_key.created&limit=200");
    assertTrue(keys.size() >= 2, keys.toString());
    assertTrue(keys.stream().allMatch(e -> e.getString("action").equals("api_key.created")));

    List<JsonObject> byOwner = events("actor_id=" + ownerId + "&action=api_key.created");
    assertEquals(1, byOwner.size(), byOwner.toString());
    assertEquals(acme.id(), byOwner.get(0).getString("tenant_id"));

    List<JsonObject> adminLogins = events("actor_id=" + adminId + "&action=login");
    assertFalse(adminLogins.isEmpty());
    assertNull(adminLogins.get(0).getString("tenant_id"), "the admin's sign-in belongs to no tenant");
  }

  /** Verifies that the time range filter includes what happened in it and nothing else. */
  @Test
  void timeRange() {
    assertFalse(events("from=" + time(start) + "&to=" + time(Instant.now().plusSeconds(60))).isEmpty());
    assertTrue(events("from=" + time(Instant.now().plusSeconds(3600))).isEmpty());
    assertTrue(events("to=" + time(start.minusSeconds(3600))).isEmpty());
  }

  /** Verifies that pages follow next_before without gaps or overlaps, ending with a null next_before. */
  @Test
  void pagination() {
    List<Long> everything = events("tenant_id=" + acme.id() + "&limit=200").stream().map(e -> e.getLong("id")).toList();
    assertTrue(everything.size() > 3, "enough events to page: " + everything);

    List<Long> paged = new ArrayList<>();
    String query = "tenant_id=" + acme.id() + "&limit=2";
    Long nextBefore;
    do {
      Api.Response page = admin.get("/v1/admin/audit?" + query);
      assertEquals(200, page.status());
      page.data().forEach(e -> paged.add(((JsonObject) e).getLong("id")));
      nextBefore = page.json().getLong("next_before");
      query = "tenant_id=" + acme.id() + "&limit=2&before=" + nextBefore;
    } while (nextBefore != null);

    assertEquals(everything, paged);
  }

  /** Verifies that tenant principals get 403 and bad filters a 400 naming them. */
  @Test
  void refusals() {
    assertEquals(403, app.api().as(acme.ownerToken()).get("/v1/admin/audit").status());
    assertEquals(403, app.api().as(acme.key()).get("/v1/admin/audit").status());
    assertEquals(401, app.api().get("/v1/admin/audit").status());

    Api.Response badTenant = admin.get("/v1/admin/audit?tenant_id=acme");
    assertEquals(400, badTenant.status());
    assertTrue(badTenant.body().contains("tenant_id"), badTenant.toString());
    Api.Response backwards = admin.get("/v1/admin/audit?from=" + time(Instant.now()) + "&to=" + time(start));
    assertEquals(400, backwards.status());
    assertEquals(400, admin.get("/v1/admin/audit?from=yesterday").status());
    assertEquals(400, admin.get("/v1/admin/audit?limit=0").status());
  }
}

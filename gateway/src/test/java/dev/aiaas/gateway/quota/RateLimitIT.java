package dev.aiaas.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rate limits from the plan: headers on every answer, 429 with Retry-After, recovery. */
class RateLimitIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  @BeforeAll
  static void slowPlan() {
    Api admin = app.api().as(app.adminToken());
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "slow")
        .put("rate_limit", new JsonObject().put("requests_per_second", 1).put("burst", 3))).status());
  }

  /**
   * A tenant set up on the unlimited plan (so setting it up used no tokens) and then moved to the
   * slow plan: its buckets start full.
   */
  private static TenantFixture slowTenant(String name) {
    TenantFixture tenant = TenantFixture.create(app, name);
    moveToSlowPlan(tenant);
    return tenant;
  }

  private static void moveToSlowPlan(TenantFixture tenant) {
    assertEquals(200, app.api().as(app.adminToken()).patch("/v1/admin/tenants/" + tenant.id(), new JsonObject().put("plan", "slow")).status());
  }

  /** Verifies that the burst is admitted with falling RateLimit-Remaining, then 429 + Retry-After, then recovery. */
  @Test
  void burstRefusalAndRecovery() {
    TenantFixture acme = slowTenant("acme");
    Api key = app.api().as(acme.key());
    assertEquals("2", key.get("/v1/whoami").header("RateLimit-Remaining"));
    assertEquals("1", key.get("/v1/whoami").header("RateLimit-Remaining"));
    Api.Response last = key.get("/v1/whoami");
    assertEquals(200, last.status());
    assertEquals("3", last.header("RateLimit-Limit"));
    assertEquals("0", last.header("RateLimit-Remaining"));
    assertNotNull(last.header("RateLimit-Reset"));

    Api.Response refused = key.get("/v1/whoami");

    assertEquals(429, refused.status());
    assertEquals("rate-limited", refused.problem());
    assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
    assertEquals("0", refused.header("RateLimit-Remaining"));
    Eventually.until(() -> key.get("/v1/whoami").status(), status -> status == 200, Duration.ofSeconds(5));
  }

  /** Verifies that keys of one tenant share the tenant's bucket while another tenant is unaffected. */
  @Test
  void tenantBucketIsShared() {
    TenantFixture shared = TenantFixture.create(app, "shared");
    String second = app.api().as(shared.ownerToken()).post("/v1/keys",
        new JsonObject().put("name", "second").put("scopes", new JsonArray().add("read"))).json().getString("key");
    moveToSlowPlan(shared);
    TenantFixture other = slowTenant("other");
    // drain the tenant through the first key
    Eventually.until(() -> app.api().as(shared.key()).get("/v1/whoami").status(), status -> status == 429, Duration.ofSeconds(10));

    assertEquals(429, app.api().as(second).get("/v1/whoami").status(), "the second key draws on the same tenant bucket");
    Eventually.until(() -> app.api().as(other.key()).get("/v1/whoami").status(), status -> status == 200, Duration.ofSeconds(10));
  }
}

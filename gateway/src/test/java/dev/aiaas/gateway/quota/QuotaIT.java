package dev.aiaas.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Monthly quotas: exact under concurrency, 429 naming the quota, soft quotas let overage through. */
class QuotaIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  @BeforeAll
  static void plans() {
    Api admin = app.api().as(app.adminToken());
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "hard50")
        .put("limits", new JsonObject().put("api_calls", 50))).status());
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "soft5")
        .put("limits", new JsonObject().put("api_calls", 5)).put("soft_limits", new JsonArray().add("api_calls"))).status());
  }

  private static List<Integer> concurrently(int calls, Callable<Integer> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        futures.add(pool.submit(call));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : futures) {
        statuses.add(f.get());
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Verifies that 120 concurrent calls against a remaining quota of 50 admit exactly 50, and usage says 50. */
  @Test
  void exactUnderConcurrency() throws Exception {
    TenantFixture acme = TenantFixture.create(app, "acme", "hard50");
    Api key = app.api().as(acme.key());

    List<Integer> statuses = concurrently(120, () -> key.get("/v1/whoami").status());

    assertEquals(50, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(70, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
    Api.Response refused = key.get("/v1/whoami");
    assertEquals("quota-exceeded", refused.problem());
    JsonObject problem = refused.json();
    assertEquals("api_calls", problem.getString("metric"));
    assertEquals(50, problem.getInteger("limit"));
    assertTrue(problem.getString("resets_at").endsWith("T00:00:00Z"));
    assertTrue(Integer.parseInt(refused.header("Retry-After")) > 0);
    JsonObject quota = app.api().as(acme.ownerToken()).get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("api_calls");
    assertEquals("50", quota.getString("used"), "exactly the admitted calls are metered");
    assertEquals(50, quota.getInteger("limit"));
  }

  /** Verifies that a soft quota lets calls through beyond the limit and meters all of them. */
  @Test
  void softQuotaAllowsOverage() throws Exception {
    TenantFixture beta = TenantFixture.create(app, "beta", "soft5");
    Api key = app.api().as(beta.key());

    List<Integer> statuses = concurrently(12, () -> key.get("/v1/whoami").status());

    assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
    JsonObject quota = app.api().as(beta.ownerToken()).get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("api_calls");
    assertEquals("12", quota.getString("used"));
    assertTrue(quota.getBoolean("soft"));
  }

  /** Verifies that console (JWT) calls are not counted as API calls, and a new plan limit applies at once. */
  @Test
  void consoleCallsAreNotApiCalls() {
    TenantFixture gamma = TenantFixture.create(app, "gamma", "hard50");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, app.api().as(gamma.ownerToken()).get("/v1/whoami").status());
    }

    JsonObject quota = app.api().as(gamma.ownerToken()).get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("api_calls");

    assertEquals("0", quota.getString("used"));
  }
}

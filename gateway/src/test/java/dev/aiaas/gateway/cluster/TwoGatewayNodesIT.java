package dev.aiaas.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.gateway.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes of one Hazelcast cluster sharing a database and a signing key: what one node
 * changes (a key revoked, a tenant suspended, a session ended) the other enforces within a second although both
 * cache, and a monthly quota holds across both.
 */
class TwoGatewayNodesIT {

  private static Platform one;
  private static Platform two;
  private static Api node1;
  private static Api node2;
  private static String adminToken;

  @BeforeAll
  static void startNodes() throws Exception {
    Map<String, String> env = Map.of(
        "AIAAS_DATA_DIR", Files.createTempDirectory("aiaas-nodes").toString(),
        "AIAAS_DB_URL", TestDatabases.freshDatabase().toUrlWithPassword(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_CLUSTER_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702",
        "AIAAS_ADMIN_EMAIL", RunningPlatform.ADMIN_EMAIL,
        "AIAAS_ADMIN_PASSWORD", RunningPlatform.ADMIN_PASSWORD,
        "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", "2");
    AiaasConfig config = ConfigLoader.load(Optional.empty(), env);
    one = Platform.start(config, Role.GATEWAY, true);
    two = Platform.start(config, Role.GATEWAY, true);
    node1 = Api.at(URI.create("http://127.0.0.1:" + one.httpPort() + "/"));
    node2 = Api.at(URI.create("http://127.0.0.1:" + two.httpPort() + "/"));
    adminToken = node1.login(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stopNodes() {
    if (two != null) {
      two.close();
    }
    if (one != null) {
      one.close();
    }
  }

  /** Verifies that a key revoked and a tenant suspended on node 1 are refused by node 2 within 1 s. */
  @Test
  void changesOnOneNodeReachTheOther() {
    TenantFixture acme = TenantFixture.create(node1, adminToken, "acme", TenantFixture.UNLIMITED);
    // GIVEN node 2 has the key and the tenant cached as valid
    assertEquals(200, node2.as(acme.key()).get("/v1/tenant").status());
    assertEquals(200, node2.as(acme.ownerToken()).get("/v1/tenant").status(), "tokens from node 1 are valid on node 2");

    // WHEN node 1 revokes the key THEN node 2 refuses it within a second
    assertEquals(204, node1.as(acme.ownerToken()).delete("/v1/keys/" + acme.keyId()).status());
    Eventually.until(() -> node2.as(acme.key()).get("/v1/tenant").status(), status -> status == 401, Duration.ofSeconds(1));

    // WHEN node 1 suspends the tenant THEN node 2 refuses its users within a second
    assertEquals(200, node1.as(adminToken).patch("/v1/admin/tenants/" + acme.id(), new JsonObject().put("status", "suspended")).status());
    Api.Response suspended = Eventually.until(() -> node2.as(acme.ownerToken()).get("/v1/tenant"), r -> r.status() == 403, Duration.ofSeconds(1));
    assertEquals("tenant-suspended", suspended.problem());
  }

  /** Verifies that a session ended on node 1 (refresh-token reuse, logout) refuses its access tokens on node 2 within 1 s. */
  @Test
  void endedSessionsEndOnTheOtherNode() {
    TenantFixture acme = TenantFixture.create(node1, adminToken, "sessions", TenantFixture.UNLIMITED);
    JsonObject login = node1.post("/v1/auth/login", new JsonObject().put("email", acme.ownerEmail()).put("password", TenantFixture.PASSWORD)).json();
    String refresh = login.getString("refresh_token");
    String access = node1.post("/v1/auth/refresh", new JsonObject().put("refresh_token", refresh)).json().getString("access_token");
    // GIVEN node 2 has the session cached as alive
    assertEquals(200, node2.as(access).get("/v1/tenant").status());

    // WHEN the rotated refresh token is reused on node 1 THEN node 2 refuses the session's access token within a second
    assertEquals(401, node1.post("/v1/auth/refresh", new JsonObject().put("refresh_token", refresh)).status());
    Eventually.until(() -> node2.as(access).get("/v1/tenant").status(), status -> status == 401, Duration.ofSeconds(1));

    // WHEN a user logs out on node 1 THEN node 2 refuses that session within a second, while another goes on
    String other = node1.login(acme.ownerEmail(), TenantFixture.PASSWORD);
    assertEquals(200, node2.as(acme.ownerToken()).get("/v1/tenant").status());
    assertEquals(204, node1.as(acme.ownerToken()).post("/v1/auth/logout", new JsonObject()).status());
    Eventually.until(() -> node2.as(acme.ownerToken()).get("/v1/tenant").status(), status -> status == 401, Duration.ofSeconds(1));
    assertEquals(200, node2.as(other).get("/v1/tenant").status());
  }

  /** Verifies that concurrent calls spread over both nodes admit exactly the quota: no overshoot across nodes. */
  @Test
  void quotaHoldsAcrossNodes() throws Exception {
    assertEquals(201, node1.as(adminToken).post("/v1/admin/plans", new JsonObject().put("name", "hard40")
        .put("limits", new JsonObject().put("api_calls", 40))).status());
    TenantFixture beta = TenantFixture.create(node1, adminToken, "beta", "hard40");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        Api node = i % 2 == 0 ? node1 : node2;
        calls.add(pool.submit(() -> node.as(beta.key()).get("/v1/whoami").status()));
      }
      long ok = 0;
      for (Future<Integer> call : calls) {
        ok += call.get() == 200 ? 1 : 0;
      }
      assertEquals(40, ok, "exactly the quota, although two nodes admitted");
    } finally {
      pool.shutdownNow();
    }
  }
}

package dev.aiaas.gateway.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL going away under a running gateway: metered calls fail closed with 503 and
 * Retry-After (never served unmetered), and the gateway recovers by itself when it returns.
 */
class DatabaseOutageIT {

  @TempDir Path pgDir;
  @TempDir Path dataDir;

  private EmbeddedPostgres startPostgres(int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false).setPort(port).start();
  }

  /** Verifies 503 while the database is down and recovery without a restart once it is back. */
  @Test
  void failsClosedAndRecovers() throws Exception {
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false).start();
    int port = postgres.getPort();
    Map<String, String> env = Map.of(
        "AIAAS_DATA_DIR", dataDir.toString(),
        "AIAAS_DB_URL", "postgresql://postgres@127.0.0.1:" + port + "/postgres",
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_WORKER_DEVICES", "cpu",
        "AIAAS_ADMIN_EMAIL", RunningPlatform.ADMIN_EMAIL,
        "AIAAS_ADMIN_PASSWORD", RunningPlatform.ADMIN_PASSWORD,
        "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", "2");
    try (Platform platform = Platform.start(ConfigLoader.load(Optional.empty(), env), Role.GATEWAY, false)) {
      Api api = Api.at(URI.create("http://127.0.0.1:" + platform.httpPort() + "/"));
      TenantFixture acme = TenantFixture.create(api, api.login(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD), "acme", TenantFixture.UNLIMITED);
      Api key = api.as(acme.key());
      assertEquals(200, key.get("/v1/whoami").status(), "key and tenant now cached");

      // WHEN the database goes away
      postgres.close();

      // THEN a metered call is refused, not served unmetered
      Api.Response metered = key.get("/v1/whoami");
      assertEquals(503, metered.status(), metered.toString());
      assertEquals("usage-unavailable", metered.problem());
      assertNotNull(metered.header("Retry-After"));
      // AND a call that needs the database says the database is unavailable
      Api.Response needsDb = api.as(acme.ownerToken()).get("/v1/keys");
      assertEquals(503, needsDb.status(), needsDb.toString());
      assertEquals("database-unavailable", needsDb.problem());
      assertNotNull(needsDb.header("Retry-After"));

      // WHEN it comes back THEN the gateway recovers by itself
      postgres = startPostgres(port);
      Eventually.until(() -> key.get("/v1/whoami").status(), status -> status == 200, Duration.ofSeconds(30));
      assertEquals(200, api.as(acme.ownerToken()).get("/v1/keys").status());
      // only the calls answered with 200 were metered: one before, one after the outage
      assertEquals("2", api.as(acme.ownerToken()).get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("api_calls").getString("used"));
    } finally {
      postgres.close();
    }
  }
}

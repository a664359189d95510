package dev.aiaas.gateway.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.PlatformProcess;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.gateway.testing.TestDatabases;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 under the worst case: the gateway process is killed with SIGKILL while clients hammer
 * a metered endpoint. After a restart, every 2xx a client received is in the usage, and no event
 * is counted twice.
 */
class MeteringKillIT {

  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  /** Verifies that usage recorded >= 2xx received, no duplicates, and rollups agree with raw events, across a SIGKILL. */
  @Test
  void noSuccessWithoutDurableUsage() throws Exception {
    Path jar = Path.of(System.getProperty("aiaas.jar", "target/aiaas.jar"));
    DatabaseUrl db = TestDatabases.freshDatabase();
    Map<String, String> env = Map.of(
        "AIAAS_DATA_DIR", dataDir.toString(),
        "AIAAS_DB_URL", db.toUrlWithPassword(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_ADMIN_EMAIL", RunningPlatform.ADMIN_EMAIL,
        "AIAAS_ADMIN_PASSWORD", RunningPlatform.ADMIN_PASSWORD,
        "AIAAS_CONFIG", "");

    AtomicLong succeeded = new AtomicLong();
    TenantFixture acme;
    String metrics;
    try (PlatformProcess gateway = PlatformProcess.start(jar, env, "gateway")) {
      Api api = Api.at(apiUri(gateway));
      acme = TenantFixture.create(api, api.login(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD), "acme", TenantFixture.UNLIMITED);
      Api key = api.as(acme.key());
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Thread client = new Thread(() -> {
          while (!stop.get()) {
            try {
              if (key.get("/v1/whoami").status() == 200) {
                succeeded.incrementAndGet();
              }
            } catch (RuntimeException connectionLost) {
              return;
            }
          }
        });
        client.start();
        clients.add(client);
      }
      // GIVEN load is flowing
      while (succeeded.get() < 2_000) {
        Thread.onSpinWait();
      }
      metrics = api.get("/metrics").body();
      // WHEN the process is killed mid-load
      gateway.kill();
      stop.set(true);
      for (Thread client : clients) {
        client.join(30_000);
      }
    }
    assertTrue(batchMax(metrics) > 1, "under concurrent load a usage statement carries several events");

    try (PlatformProcess restarted = PlatformProcess.start(jar, env, "gateway")) {
      apiUri(restarted);
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          PreparedStatement raw = c.prepareStatement(
              "SELECT count(*), count(DISTINCT event_id), coalesce(sum(quantity), 0) FROM usage_events WHERE tenant_id = ? AND metric = 'api_calls'");
          PreparedStatement rolled = c.prepareStatement(
              "SELECT (SELECT coalesce(sum(quantity), 0) FROM usage_hourly WHERE tenant_id = ? AND metric = 'api_calls'),"
                  + " (SELECT coalesce(sum(quantity), 0) FROM usage_daily WHERE tenant_id = ? AND metric = 'api_calls')")) {
        raw.setObject(1, UUID.fromString(acme.id()));
        long events;
        try (ResultSet rs = raw.executeQuery()) {
          rs.next();
          events = rs.getLong(1);
          // THEN nothing a client was told succeeded is missing, and nothing is counted twice
          assertTrue(events >= succeeded.get(), "recorded " + events + " >= 2xx received " + succeeded.get());
          assertEquals(events, rs.getLong(2), "no event twice");
          assertEquals(events, rs.getBigDecimal(3).longValue());
        }
        rolled.setObject(1, UUID.fromString(acme.id()));
        rolled.setObject(2, UUID.fromString(acme.id()));
        try (ResultSet rs = rolled.executeQuery()) {
          rs.next();
          assertEquals(events, rs.getBigDecimal(1).longValue(), "hourly rollup agrees with the events");
          assertEquals(events, rs.getBigDecimal(2).longValue(), "daily rollup agrees with the events");
        }
      }
    }
  }

  private static URI apiUri(PlatformProcess process) throws InterruptedException {
    Matcher api = process.awaitLine("API: http://127\\.0\\.0\\.1:(\\d+)/v1", START);
    return URI.create("http://127.0.0.1:" + api.group(1) + "/");
  }

  private static double batchMax(String prometheus) {
    Matcher m = Pattern.compile("(?m)^aiaas_usage_batch_events_max(?:\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(prometheus);
    if (!m.find()) {
      throw new AssertionError("no aiaas_usage_batch_events_max in /metrics");
    }
    return Double.parseDouble(m.group(1));
  }
}

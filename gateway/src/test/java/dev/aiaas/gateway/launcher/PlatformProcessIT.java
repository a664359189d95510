package dev.aiaas.gateway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.PlatformProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start, end to end: the packaged jar starts with an embedded PostgreSQL, becomes
 * ready, says where everything is, stops gracefully on SIGTERM and keeps its data across restarts,
 * including after a SIGKILL.
 */
class PlatformProcessIT {

  private static final Duration START = Duration.ofSeconds(90);
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  /** Verifies that the jar runs, keeps its installation across a clean stop and a SIGKILL. */
  @Test
  void startsReadyStopsGracefullyAndKeepsData() throws Exception {
    Path jar = Path.of(System.getProperty("aiaas.jar", "target/aiaas.jar"));
    Map<String, String> env = Map.of(
        "AIAAS_DATA_DIR", dataDir.toString(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_WORKER_DEVICES", "cpu",
        "AIAAS_DB_URL", "",
        "AIAAS_CONFIG", "");

    String installation;
    String adminToken;
    try (PlatformProcess first = PlatformProcess.start(jar, env)) {
      int port = awaitReady(first);
      assertTrue(first.output().contains("database: embedded PostgreSQL at " + dataDir.resolve("pg")), first.output());
      first.awaitLine("workers: MXNet [^ ]+ on cpu\\(\\)", Duration.ofSeconds(1));
      installation = first.awaitLine("installation ([0-9a-f-]{36})", Duration.ofSeconds(1)).group(1);
      assertEquals(404, get(port, "/no-such-path").statusCode());
      first.awaitLine("admin: admin@aiaas.local created with a generated password", Duration.ofSeconds(1));
      String password = first.awaitLine("Generated password \\(shown this once\\): (\\S+)", Duration.ofSeconds(1)).group(1);
      adminToken = Api.at(URI.create("http://127.0.0.1:" + port + "/")).login("admin@aiaas.local", password);

      Optional<Integer> exit = first.terminate(Duration.ofSeconds(60));
      assertTrue(exit.isPresent(), "stops within a minute of SIGTERM:\n" + first.output());
      assertEquals(143, exit.get(), "exit code of a JVM stopped by SIGTERM:\n" + first.output());
      first.awaitLine("stopped$", Duration.ofSeconds(5));
    }

    try (PlatformProcess second = PlatformProcess.start(jar, env)) {
      int port = awaitReady(second);
      second.awaitLine("admin: existing platform admin", Duration.ofSeconds(1));
      assertEquals(200, Api.at(URI.create("http://127.0.0.1:" + port + "/")).as(adminToken).get("/v1/admin/tenants").status(),
          "a token issued before the restart is still valid: the signing key was kept");
      assertEquals(installation, second.awaitLine("installation ([0-9a-f-]{36})", Duration.ofSeconds(1)).group(1),
          "same installation after a clean restart");
      second.kill();
    }

    try (PlatformProcess third = PlatformProcess.start(jar, env)) {
      awaitReady(third);
      third.awaitLine("stopping a PostgreSQL \\(pid \\d+\\) left running", Duration.ofSeconds(1));
      assertEquals(installation, third.awaitLine("installation ([0-9a-f-]{36})", Duration.ofSeconds(1)).group(1),
          "same installation after SIGKILL and restart");
      assertTrue(third.terminate(Duration.ofSeconds(60)).isPresent());
    }
  }

  /** Waits for the API line, then polls readiness until it answers 200; returns the port. */
  private int awaitReady(PlatformProcess process) throws Exception {
    Matcher api = process.awaitLine("API: http://127\\.0\\.0\\.1:(\\d+)/v1", START);
    int port = Integer.parseInt(api.group(1));
    Eventually.until(() -> Api.at(URI.create("http://127.0.0.1:" + port + "/")).get("/health/ready").status(),
        status -> status == 200, Duration.ofSeconds(30));
    return port;
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}

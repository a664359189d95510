package dev.aiaas.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Gateway and worker as separate cluster members, as in production (here two in one JVM). */
class ClusterIT {

  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * Verifies that a gateway without workers is not ready, and becomes ready once a worker joins
   * the Hazelcast cluster and announces itself over the clustered event bus.
   */
  @Test
  void gatewayBecomesReadyWhenAWorkerJoins() throws Exception {
    DatabaseUrl db = TestDatabases.freshDatabase();
    Map<String, String> env = Map.of(
        "AIAAS_DATA_DIR", Files.createTempDirectory("aiaas-cluster").toString(),
        "AIAAS_DB_URL", db.toUrlWithPassword(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_WORKER_DEVICES", "cpu",
        "AIAAS_CLUSTER_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702",
        "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", "2");
    AiaasConfig config = ConfigLoader.load(Optional.empty(), env);

    try (Platform gateway = Platform.start(config, Role.GATEWAY, true)) {
      HttpResponse<String> alone = ready(gateway);
      assertEquals(503, alone.statusCode(), alone.body());
      JsonObject checks = new JsonObject(alone.body()).getJsonObject("checks");
      assertEquals("UP", checks.getJsonObject("database").getString("status"));
      assertEquals("DOWN", checks.getJsonObject("workers").getString("status"));

      try (Platform worker = Platform.start(config, Role.WORKER, true)) {
        assertEquals(-1, worker.httpPort(), "a worker process serves no HTTP");
        HttpResponse<String> joined = awaitReady(gateway, Duration.ofSeconds(30));
        JsonObject workers = new JsonObject(joined.body()).getJsonObject("checks").getJsonObject("workers");
        assertEquals(1, workers.getInteger("count"));
        assertEquals("cpu()", workers.getJsonArray("workers").getJsonObject(0).getString("device"));
      }

      // The worker's verticle says it is stopping, so the gateway drops it at once.
      HttpResponse<String> left = ready(gateway);
      assertEquals(503, left.statusCode(), left.body());
    }
  }

  private HttpResponse<String> awaitReady(Platform gateway, Duration timeout) {
    return Eventually.until(() -> ready(gateway), response -> response.statusCode() == 200, timeout);
  }

  private HttpResponse<String> ready(Platform gateway) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

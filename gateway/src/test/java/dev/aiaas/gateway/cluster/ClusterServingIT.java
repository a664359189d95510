package dev.aiaas.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.SignModel;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.gateway.testing.TestDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Serving across a cluster: a gateway member, and worker members that train and serve (here all in one JVM). */
class ClusterServingIT {

  /**
   * Verifies that a model trained on a worker member is served by every worker member that loaded
   * it: predictions through the gateway keep succeeding when one of two workers leaves.
   */
  @Test
  void workersOnOtherMembersServeTheDeployment() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "AIAAS_DB_URL", TestDatabases.freshDatabase().toUrlWithPassword(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_WORKER_DEVICES", "cpu",
        "AIAAS_CLUSTER_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703",
        "AIAAS_ADMIN_EMAIL", RunningPlatform.ADMIN_EMAIL,
        "AIAAS_ADMIN_PASSWORD", RunningPlatform.ADMIN_PASSWORD,
        "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", "2"));
    env.put("AIAAS_DATA_DIR", Files.createTempDirectory("aiaas-cluster-gw").toString());
    // Every node gets the same master key file (the gateway, started first, creates it).
    env.put("AIAAS_MASTER_KEY_FILE", Path.of(env.get("AIAAS_DATA_DIR"), "master.key").toString());
    AiaasConfig gatewayConfig = ConfigLoader.load(Optional.empty(), env);
    env.put("AIAAS_DATA_DIR", Files.createTempDirectory("aiaas-cluster-w1").toString());
    AiaasConfig firstWorkerConfig = ConfigLoader.load(Optional.empty(), env);
    env.put("AIAAS_DATA_DIR", Files.createTempDirectory("aiaas-cluster-w2").toString());
    AiaasConfig secondWorkerConfig = ConfigLoader.load(Optional.empty(), env);

    JsonObject request = new JsonObject().put("instances", new JsonArray().add(new JsonArray().add(3.0)));

    try (Platform gateway = Platform.start(gatewayConfig, Role.GATEWAY, true);
        Platform first = Platform.start(firstWorkerConfig, Role.WORKER, true)) {
      Api api = Api.at(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/"));
      TenantFixture acme = TenantFixture.create(api, api.login(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD), "acme",
          TenantFixture.UNLIMITED);
      Api owner = api.as(acme.ownerToken());
      SignModel.train(owner, "sign");
      assertEquals("ready", owner.post("/v1/models/sign/deployment", new JsonObject().put("version", 1)).json().getString("state"));

      Platform second = Platform.start(secondWorkerConfig, Role.WORKER, true);
      // The second worker loads what is deployed when it starts; both now consume the version's address.
      Eventually.until(() -> cachedModels(secondWorkerConfig), n -> n > 0, Duration.ofSeconds(30));
      for (int i = 0; i < 10; i++) {
        Api.Response answer = owner.post("/v1/models/sign/predict", request);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("pos", answer.json().getJsonArray("predictions").getJsonObject(0).getString("label"));
      }
      first.close();
      for (int i = 0; i < 10; i++) {
        Api.Response answer = owner.post("/v1/models/sign/predict", request);
        assertEquals(200, answer.status(), "the remaining worker serves: " + answer);
      }
      second.close();
    }
  }

  private static long cachedModels(AiaasConfig config) {
    try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(config.modelCacheDir())) {
      return files.count();
    } catch (java.io.IOException e) {
      return 0; // not created yet
    }
  }
}

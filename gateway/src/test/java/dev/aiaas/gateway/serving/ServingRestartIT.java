package dev.aiaas.gateway.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.SignModel;
import dev.aiaas.gateway.testing.StandalonePlatforms;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Deployments are state: after a restart the platform serves them again without any call. */
class ServingRestartIT {

  /**
   * Verifies that a deployed model answers again after the platform restarts (loading its
   * parameters from PostgreSQL into the local cache), and answers 409 once undeployed.
   */
  @Test
  void deployedModelServesAgainAfterARestart() throws Exception {
    AiaasConfig config = StandalonePlatforms.freshConfig("serving-restart", 2);
    Path dataDir = config.dataDir();
    JsonObject request = new JsonObject().put("instances", new JsonArray().add(new JsonObject().put("x", 2.5)).add(new JsonArray().add(-2.5)));

    String ownerEmail;
    JsonArray before;
    try (Platform first = Platform.start(config, Role.SERVE, false)) {
      Api api = StandalonePlatforms.api(first);
      TenantFixture acme = StandalonePlatforms.tenant(first, "acme");
      ownerEmail = acme.ownerEmail();
      Api owner = api.as(acme.ownerToken());
      SignModel.train(owner, "sign");
      assertEquals("ready", owner.post("/v1/models/sign/deployment", new JsonObject().put("version", 1)).json().getString("state"));
      Api.Response answer = owner.post("/v1/models/sign/predict", request);
      assertEquals(200, answer.status(), answer.toString());
      before = answer.json().getJsonArray("predictions");
      assertEquals("pos", before.getJsonObject(0).getString("label"));
      assertEquals("neg", before.getJsonObject(1).getString("label"));
    }
    try (Stream<Path> cached = Files.list(dataDir.resolve("model-cache"))) {
      assertEquals(1, cached.filter(p -> p.toString().endsWith(".params")).count(), "the worker cached the parameters locally");
    }

    try (Platform second = Platform.start(config, Role.SERVE, false)) {
      Api api = StandalonePlatforms.api(second);
      Api owner = api.as(api.login(ownerEmail, TenantFixture.PASSWORD));
      Api.Response answer = Eventually.until(() -> owner.post("/v1/models/sign/predict", request), r -> r.status() == 200,
          Duration.ofSeconds(30));
      assertEquals(before, answer.json().getJsonArray("predictions"), "the same version answers the same");

      assertEquals(204, owner.delete("/v1/models/sign/deployment").status());
      assertEquals(409, owner.post("/v1/models/sign/predict", request).status());
    }
  }
}

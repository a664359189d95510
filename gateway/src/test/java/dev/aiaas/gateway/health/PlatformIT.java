package dev.aiaas.gateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's platform page API: database readiness, workers with device and engine, and the models they have loaded. */
class PlatformIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /**
   * Verifies that the platform view shows the database with its schema version and the worker with
   * its node, engine and device, and that a deployed model version appears among the worker's
   * loaded models (while public readiness names no model).
   */
  @Test
  void platformShowsTheWorkerWithItsDeviceAndADeployedModel() {
    TenantFixture acme = TenantFixture.create(app, "platform");
    Api owner = app.api().as(acme.ownerToken());
    StringBuilder csv = new StringBuilder("x1,x2,label\n");
    Random random = new Random(3);
    for (int i = 0; i < 80; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", x1, x2, x1 + x2 > 0 ? "yes" : "no"));
    }
    String dataset = owner.postBytes("/v1/datasets?name=tiny&format=csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
        .json().getString("id");
    Api.Response job = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "tiny")
        .put("task", "classification").put("label", "label").put("architecture", "linear").put("seed", 5)
        .put("hyperparameters", new JsonObject().put("epochs", 2)));
    assertEquals(202, job.status(), job::toString);
    JsonObject done = Eventually.until(() -> owner.get("/v1/training-jobs/" + job.json().getString("id")).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(120));
    assertEquals("succeeded", done.getString("state"), done::encode);
    Api.Response deployed = owner.post("/v1/models/tiny/deployment", new JsonObject().put("version", 1));
    assertEquals(200, deployed.status(), deployed::toString);

    Api admin = app.api().as(app.adminToken());
    JsonObject platform = Eventually.until(() -> admin.get("/v1/admin/platform").json(),
        p -> p.getJsonArray("workers").encode().contains("\"tiny\""), Duration.ofSeconds(30));

    assertEquals("UP", platform.getString("status"), platform::encodePrettily);
    assertEquals("UP", platform.getJsonObject("database").getString("status"));
    assertTrue(platform.getJsonObject("database").getString("schema_version").matches("[0-9]+"), platform::encode);
    JsonArray workers = platform.getJsonArray("workers");
    assertFalse(workers.isEmpty(), platform::encode);
    JsonObject worker = workers.stream().map(JsonObject.class::cast)
        .filter(w -> w.getJsonArray("models").encode().contains("\"tiny\"")).findFirst().orElseThrow();
    assertEquals("cpu()", worker.getString("device"));
    assertEquals("MXNet", worker.getString("engine"));
    assertFalse(worker.getString("node").isBlank());
    JsonObject model = worker.getJsonArray("models").getJsonObject(0);
    assertEquals("tiny", model.getString("name"));
    assertEquals(1, model.getInteger("version"));
    assertEquals(acme.id(), model.getString("tenant_id"));
    JsonObject node = platform.getJsonArray("nodes").getJsonObject(0);
    assertEquals(worker.getString("node"), node.getString("node"));
    assertTrue(node.getInteger("workers") >= 1, platform::encode);

    String readiness = app.api().get("/health/ready").body();
    assertTrue(readiness.contains(worker.getString("worker_id")), readiness);
    assertFalse(readiness.contains("tiny") || readiness.contains(acme.id()), "public readiness names no tenant's model: " + readiness);
  }

  /** Verifies that a tenant's owner, a developer and an API key get 403 from the platform view, and no credentials 401. */
  @Test
  void nonAdminsCannotSeeThePlatform() {
    TenantFixture acme = TenantFixture.create(app, "outsider");
    assertEquals(403, app.api().as(acme.ownerToken()).get("/v1/admin/platform").status());
    assertEquals(403, app.api().as(acme.developerToken()).get("/v1/admin/platform").status());
    assertEquals(403, app.api().as(acme.key()).get("/v1/admin/platform").status());
    assertEquals(401, app.api().get("/v1/admin/platform").status());
  }
}

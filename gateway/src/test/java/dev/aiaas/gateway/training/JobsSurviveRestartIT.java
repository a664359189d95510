package dev.aiaas.gateway.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.StandalonePlatforms;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The platform stops while a job trains; after a restart the job runs again and succeeds. */
class JobsSurviveRestartIT {

  /** Verifies that a job running when the platform stops is run again after the restart and succeeds. */
  @Test
  void runningJobSurvivesARestart() throws Exception {
    AiaasConfig config = StandalonePlatforms.freshConfig("restart", 2);
    Random random = new Random(9);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < 200; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%s%n", x, x > 0 ? "pos" : "neg"));
    }

    String ownerEmail;
    String jobId;
    try (Platform first = Platform.start(config, Role.SERVE, false)) {
      Api api = StandalonePlatforms.api(first);
      TenantFixture acme = StandalonePlatforms.tenant(first, "acme");
      ownerEmail = acme.ownerEmail();
      Api owner = api.as(acme.ownerToken());
      String dataset = owner.postBytes("/v1/datasets?name=d&format=csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
          .json().getString("id");
      jobId = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "survivor")
          .put("task", "classification").put("label", "label").put("architecture", "linear")
          .put("hyperparameters", new JsonObject().put("epochs", 1000)).put("seed", 2)).json().getString("id");
      // GIVEN the job is training
      Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(), j -> j.containsKey("progress"), Duration.ofSeconds(60));
    } // WHEN the platform stops mid-job

    // THEN after a restart the job runs again (once its lease lapses) and completes
    try (Platform second = Platform.start(config, Role.SERVE, false)) {
      Api api = StandalonePlatforms.api(second);
      Api owner = api.as(api.login(ownerEmail, TenantFixture.PASSWORD));
      JsonObject job = Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(),
          j -> j.getString("state").equals("succeeded") || j.getString("state").equals("failed"), Duration.ofSeconds(120));
      assertEquals("succeeded", job.getString("state"), job.encodePrettily());
      assertEquals(2, job.getInteger("attempts"));
      assertEquals(1, owner.get("/v1/models/survivor").json().getInteger("latest_version"));
    }
  }
}

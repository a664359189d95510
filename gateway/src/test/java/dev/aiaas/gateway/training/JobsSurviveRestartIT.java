package dev.aiaas.gateway.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.StandalonePlatforms;
import dev.aiaas.gateway.testing.SyntheticCsv;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The platform stops while a job trains; after a restart the job runs again and succeeds. */
class JobsSurviveRestartIT {

  /** Verifies that a job running when the platform stops is run again after the restart and succeeds. */
  @Test
  void runningJobSurvivesARestart() throws Exception {
    AiaasConfig config = StandalonePlatforms.freshConfig("restart", 2);
    String ownerEmail;
    String jobId;
    try (Platform first = StandalonePlatforms.serve(config)) {
      TenantFixture acme = StandalonePlatforms.tenant(first, "acme");
      ownerEmail = acme.ownerEmail();
      Api owner = StandalonePlatforms.api(first).as(acme.ownerToken());
      String dataset = owner.uploadCsv("d", SyntheticCsv.signOfX(200, 9));
      jobId = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "survivor")
          .put("task", "classification").put("label", "label").put("architecture", "linear")
          .put("hyperparameters", new JsonObject().put("epochs", 1000)).put("seed", 2)).json().getString("id");
      // GIVEN the job is training
      Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(), j -> j.containsKey("progress"), Duration.ofSeconds(60));
    } // WHEN the platform stops mid-job

    // THEN after a restart the job runs again (once its lease lapses) and completes
    try (Platform second = StandalonePlatforms.serve(config)) {
      Api owner = StandalonePlatforms.signIn(second, ownerEmail);
      JsonObject job = owner.awaitEnd("/v1/training-jobs/" + jobId, Duration.ofSeconds(120));
      assertEquals("succeeded", job.getString("state"), job.encodePrettily());
      assertEquals(2, job.getInteger("attempts"));
      assertEquals(1, owner.get("/v1/models/survivor").json().getInteger("latest_version"));
    }
  }
}

package dev.aiaas.gateway.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.StandalonePlatforms;
import dev.aiaas.gateway.testing.SyntheticCsv;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The platform stops while a tuning job's trials train; after a restart the tuning job completes. */
class TuningSurvivesRestartIT {

  /**
   * Verifies that a tuning job whose trial is training when the platform stops completes after the
   * restart: no trial is lost (every planned trial succeeds, the interrupted one on a second run),
   * the best is registered once, and each trial's training_seconds is metered exactly once.
   */
  @Test
  void tuningSurvivesARestart() throws Exception {
    AiaasConfig config = StandalonePlatforms.freshConfig("tuning-restart", 2);
    String ownerEmail;
    String tuningId;
    try (Platform first = StandalonePlatforms.serve(config)) {
      TenantFixture acme = StandalonePlatforms.tenant(first, "acme");
      ownerEmail = acme.ownerEmail();
      Api owner = StandalonePlatforms.api(first).as(acme.ownerToken());
      String dataset = owner.uploadCsv("d", SyntheticCsv.signOfX(200, 9));
      Api.Response created = owner.post("/v1/tuning-jobs", new JsonObject().put("dataset_id", dataset).put("model", "survivor")
          .put("task", "classification").put("label", "label").put("architecture", "linear").put("seed", 2)
          .put("hyperparameters", new JsonObject().put("epochs", 60))
          .put("search_space", new JsonObject().put("learning_rate", new JsonObject().put("log_uniform", new JsonArray().add(1e-3).add(0.1))))
          .put("max_trials", 3).put("parallel_trials", 1));
      assertEquals(202, created.status(), created.toString());
      tuningId = created.json().getString("id");
      // GIVEN a trial is training
      Eventually.until(() -> owner.get("/v1/tuning-jobs/" + tuningId).json(),
          j -> j.getJsonArray("trials").stream().anyMatch(t -> !((JsonObject) t).getJsonArray("objective_per_epoch").isEmpty()
              && ((JsonObject) t).getString("state").equals("running")),
          Duration.ofSeconds(60));
    } // WHEN the platform stops mid-trial

    // THEN after a restart the trial runs again (once its lease lapses) and the tuning job completes
    try (Platform second = StandalonePlatforms.serve(config)) {
      Api owner = StandalonePlatforms.signIn(second, ownerEmail);
      JsonObject done = owner.awaitEnd("/v1/tuning-jobs/" + tuningId, Duration.ofSeconds(300));
      assertEquals("succeeded", done.getString("state"), done.encodePrettily());
      JsonArray trials = done.getJsonArray("trials");
      assertEquals(3, trials.size(), trials.encodePrettily());
      int rerun = 0;
      for (Object t : trials) {
        JsonObject trial = (JsonObject) t;
        assertEquals("succeeded", trial.getString("state"), trial.encodePrettily());
        JsonObject job = owner.get("/v1/training-jobs/" + trial.getString("training_job_id")).json();
        rerun += job.getInteger("attempts") > 1 ? 1 : 0;
        assertEquals(1, meteredRuns(config.databaseUrl().orElseThrow(), UUID.fromString(trial.getString("training_job_id"))),
            "one training_seconds event per trial: " + trial.encodePrettily());
      }
      assertTrue(rerun >= 1, "the interrupted trial ran again: " + trials.encodePrettily());
      JsonObject model = owner.get("/v1/models/survivor").json();
      assertEquals(1, model.getInteger("latest_version"));
      assertEquals(tuningId, model.getJsonArray("versions").getJsonObject(0).getJsonObject("tuning").getString("tuning_job_id"));
    }
  }

  private static int meteredRuns(DatabaseUrl db, UUID jobId) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement q = c.prepareStatement("SELECT count(*) FROM usage_events WHERE job_id = ? AND metric = 'training_seconds'")) {
      q.setObject(1, jobId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}

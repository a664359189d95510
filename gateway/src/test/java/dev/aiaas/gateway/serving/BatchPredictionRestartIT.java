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
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A batch prediction running when the platform stops runs again after the restart, and is metered once. */
class BatchPredictionRestartIT {

  private static final int ROWS = 300_000;

  /** Verifies that an interrupted batch prediction completes after a restart with every row, counted once. */
  @Test
  void interruptedJobCompletesAfterARestartAndIsMeteredOnce() throws Exception {
    AiaasConfig config = StandalonePlatforms.freshConfig("batch-restart", 2);
    StringBuilder csv = new StringBuilder("x,label\n");
    Random random = new Random(5);
    for (int i = 0; i < ROWS; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.3f,%s%n", x, x > 0 ? "pos" : "neg"));
    }

    String ownerEmail;
    String jobId;
    try (Platform first = Platform.start(config, Role.SERVE, false)) {
      Api api = StandalonePlatforms.api(first);
      TenantFixture acme = StandalonePlatforms.tenant(first, "acme");
      ownerEmail = acme.ownerEmail();
      Api owner = api.as(acme.ownerToken());
      SignModel.train(owner, "sign");
      Api.Response dataset = owner.postBytes("/v1/datasets?name=big&format=csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
      assertEquals(201, dataset.status(), dataset.toString());
      jobId = owner.post("/v1/batch-predictions", new JsonObject().put("model", "sign").put("dataset_id", dataset.json().getString("id")))
          .json().getString("id");
      // GIVEN the job is running on the worker
      Eventually.until(() -> owner.get("/v1/batch-predictions/" + jobId).json(), j -> j.getString("state").equals("running")
          || j.getString("state").equals("succeeded"), Duration.ofSeconds(60));
    } // WHEN the platform stops (if the job finished first, the test still checks it was counted once)

    try (Platform second = Platform.start(config, Role.SERVE, false)) {
      Api api = StandalonePlatforms.api(second);
      Api owner = api.as(api.login(ownerEmail, TenantFixture.PASSWORD));
      // THEN it runs again once its lease lapses, and completes with every row
      JsonObject job = Eventually.until(() -> owner.get("/v1/batch-predictions/" + jobId).json(),
          j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(120));
      assertEquals("succeeded", job.getString("state"), job.encodePrettily());
      assertEquals(ROWS, job.getJsonObject("progress").getInteger("rows_done"));
      String result = owner.get("/v1/batch-predictions/" + jobId + "/result").body();
      assertEquals(ROWS + 1, result.split("\r\n").length, "one line per row plus the header, none twice");
      assertEquals(new BigDecimal(ROWS), new BigDecimal(owner.get("/v1/tenant").json().getJsonObject("quotas")
          .getJsonObject("predictions").getString("used")), "the rows are metered once");
    }
  }
}

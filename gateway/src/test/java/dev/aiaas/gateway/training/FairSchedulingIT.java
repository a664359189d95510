package dev.aiaas.gateway.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fair scheduling: one tenant's backlog does not make another tenant wait behind all of it. */
class FairSchedulingIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static String upload(Api owner) {
    Random random = new Random(5);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < 150; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%s%n", x, x > 0 ? "pos" : "neg"));
    }
    return owner.postBytes("/v1/datasets?name=d&format=csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8)).json().getString("id");
  }

  private static String submit(Api owner, String dataset, int epochs) {
    JsonObject job = new JsonObject().put("dataset_id", dataset).put("model", "m").put("task", "classification").put("label", "label")
        .put("architecture", "linear").put("hyperparameters", new JsonObject().put("epochs", epochs)).put("seed", 1);
    Api.Response response = owner.post("/v1/training-jobs", job);
    assertEquals(202, response.status(), response.toString());
    return response.json().getString("id");
  }

  private static Instant started(Api owner, String job) {
    JsonObject done = Eventually.until(() -> owner.get("/v1/training-jobs/" + job).json(),
        j -> j.getString("state").equals("succeeded") || j.getString("state").equals("failed"), Duration.ofSeconds(120));
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    return Instant.parse(done.getString("started_at"));
  }

  /** Verifies that a tenant submitting after another tenant's backlog is served before the rest of that backlog. */
  @Test
  void laterTenantIsNotStarvedByABacklog() {
    Api a = app.api().as(TenantFixture.create(app, "busy").ownerToken());
    Api b = app.api().as(TenantFixture.create(app, "patient").ownerToken());
    String dataA = upload(a);
    String dataB = upload(b);

    // GIVEN tenant A's backlog, whose first (long) job occupies the only worker
    String a1 = submit(a, dataA, 1000);
    Eventually.until(() -> a.get("/v1/training-jobs/" + a1).json(), j -> j.containsKey("progress"), Duration.ofSeconds(30));
    List<String> backlog = List.of(submit(a, dataA, 1), submit(a, dataA, 1), submit(a, dataA, 1));
    // WHEN tenant B submits one job after all of them, and the worker becomes free
    String b1 = submit(b, dataB, 1);
    assertEquals(200, a.post("/v1/training-jobs/" + a1 + "/cancel", new JsonObject()).status());

    // THEN B's job starts before the rest of A's backlog
    Instant bStarted = started(b, b1);
    for (String job : backlog) {
      assertTrue(bStarted.isBefore(started(a, job)), "tenant B waited behind tenant A's backlog");
    }
  }
}

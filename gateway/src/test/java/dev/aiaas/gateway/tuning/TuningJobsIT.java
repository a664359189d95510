package dev.aiaas.gateway.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.worker.Workers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tuning jobs against real PostgreSQL and DJL workers: seeded search that beats poor defaults and
 * repeats itself, the parallel_trials and concurrent_jobs bounds, the training_seconds quota,
 * ASHA's early stops, validation.
 */
class TuningJobsIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static Api owner;
  private static String datasetId;
  private static Api admin;

  @BeforeAll
  static void setUp() throws Exception {
    // Two more trainers besides the platform's: three workers, so only the bounds under test keep trials apart.
    Pool pool = PgBuilder.pool().connectingTo(app.database().connectOptions()).using(app.platform().vertx()).build();
    java.nio.file.Path cache = Files.createTempDirectory("tuning-cache");
    Workers.deploy(app.platform().vertx(), "cpu", Duration.ofSeconds(5), pool, app.platform().dataKeys(), cache)
        .compose(w -> Workers.deploy(app.platform().vertx(), "cpu", Duration.ofSeconds(5), pool, app.platform().dataKeys(), cache))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    admin = app.api().as(app.adminToken());
    TenantFixture acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
    datasetId = upload(owner);
  }

  /** Six features; the label is the sign of the first two's sum: easy to learn, poor at initial weights. */
  private static String upload(Api as) {
    Random random = new Random(3);
    StringBuilder csv = new StringBuilder("a,b,c,d,e,f,label\n");
    for (int i = 0; i < 300; i++) {
      double[] x = new double[6];
      for (int j = 0; j < 6; j++) {
        x[j] = random.nextGaussian();
      }
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%s%n", x[0], x[1], x[2], x[3], x[4], x[5],
          x[0] + x[1] > 0 ? "pos" : "neg"));
    }
    Api.Response upload = as.postBytes("/v1/datasets?name=signs&format=csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(201, upload.status(), upload.toString());
    return upload.json().getString("id");
  }

  private static JsonObject logUniform(double low, double high) {
    return new JsonObject().put("log_uniform", new JsonArray().add(low).add(high));
  }

  /** A search over the learning rate whose fixed hyperparameters (a tiny learning rate) are poor. */
  private static JsonObject search(String model, String dataset) {
    return new JsonObject().put("dataset_id", dataset).put("model", model).put("task", "classification").put("label", "label")
        .put("architecture", "linear").put("objective", "f1_macro").put("seed", 11)
        .put("hyperparameters", new JsonObject().put("epochs", 10).put("learning_rate", 1e-5))
        .put("search_space", new JsonObject().put("learning_rate", logUniform(1e-5, 0.3)))
        .put("max_trials", 4).put("parallel_trials", 2);
  }

  private static JsonObject awaitEnd(Api as, String id) {
    return Eventually.until(() -> as.get("/v1/tuning-jobs/" + id).json(), j -> !j.getString("state").equals("running"),
        Duration.ofSeconds(240));
  }

  private static JsonObject submit(Api as, JsonObject request) {
    Api.Response created = as.post("/v1/tuning-jobs", request);
    assertEquals(202, created.status(), created.toString());
    return created.json();
  }

  /** The most trials that ran at the same moment, from their start and end times. */
  private static int maxOverlap(JsonArray trials) {
    List<Instant[]> spans = new ArrayList<>();
    trials.forEach(t -> {
      JsonObject trial = (JsonObject) t;
      if (trial.getString("started_at") != null) {
        spans.add(new Instant[] {Instant.parse(trial.getString("started_at")), Instant.parse(trial.getString("finished_at"))});
      }
    });
    int most = 0;
    for (Instant[] span : spans) {
      int at = (int) spans.stream().filter(o -> !o[0].isAfter(span[0]) && o[1].isAfter(span[0])).count();
      most = Math.max(most, at);
    }
    return most;
  }

  /**
   * Verifies that a seeded random search registers a version whose objective beats the run with
   * the poor defaults, naming the tuning job and trial in its metadata, that only the best trial is
   * registered, that no more than parallel_trials ran at once, and that the same request again
   * picks the same best trial with the same values and objective.
   */
  @Test
  void seededSearchBeatsPoorDefaultsAndRepeats() {
    Api.Response defaults = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", datasetId).put("model", "defaults")
        .put("task", "classification").put("label", "label").put("architecture", "linear").put("seed", 11)
        .put("hyperparameters", new JsonObject().put("epochs", 10).put("learning_rate", 1e-5)));
    assertEquals(202, defaults.status(), defaults.toString());
    JsonObject defaultRun = Eventually.until(() -> owner.get("/v1/training-jobs/" + defaults.json().getString("id")).json(),
        j -> j.getString("state").equals("succeeded") || j.getString("state").equals("failed"), Duration.ofSeconds(120));
    double defaultF1 = defaultRun.getJsonObject("result").getJsonObject("metrics").getDouble("f1_macro");

    JsonObject first = awaitEnd(owner, submit(owner, search("tuned", datasetId)).getString("id"));
    assertEquals("succeeded", first.getString("state"), first.encodePrettily());
    JsonArray trials = first.getJsonArray("trials");
    assertEquals(4, trials.size());
    JsonObject best = first.getJsonObject("best_trial");
    double bestF1 = best.getDouble("objective");
    assertTrue(bestF1 > defaultF1, "tuned " + bestF1 + " vs default " + defaultF1);
    trials.forEach(t -> assertTrue(((JsonObject) t).getJsonArray("objective_per_epoch").size() > 0, t.toString()));
    assertTrue(maxOverlap(trials) <= 2, "at most parallel_trials at once: " + trials.encodePrettily());

    JsonObject model = owner.get("/v1/models/tuned").json();
    assertEquals(1, model.getInteger("latest_version"), "only the best trial is registered");
    JsonObject version = model.getJsonArray("versions").getJsonObject(0);
    assertEquals(bestF1, version.getJsonObject("metrics").getDouble("f1_macro"), 1e-12);
    assertEquals(first.getString("id"), version.getJsonObject("tuning").getString("tuning_job_id"));
    assertEquals(best.getInteger("trial"), version.getJsonObject("tuning").getInteger("trial"));
    assertEquals(best.getJsonObject("hyperparameters").getDouble("learning_rate"),
        version.getJsonObject("hyperparameters").getDouble("learning_rate"), 1e-15);
    assertEquals(1, first.getJsonObject("result").getInteger("version"));
    String stream = owner.get("/v1/tuning-jobs/" + first.getString("id") + "/events").body();
    assertTrue(stream.contains("event: trial\n") && stream.trim().startsWith("event: trial"), stream);
    assertTrue(stream.contains("event: completed\n"), stream);

    JsonObject again = awaitEnd(owner, submit(owner, search("tuned", datasetId)).getString("id"));
    assertEquals("succeeded", again.getString("state"), again.encodePrettily());
    assertEquals(best.getInteger("trial"), again.getJsonObject("best_trial").getInteger("trial"));
    assertEquals(best.getJsonObject("hyperparameters"), again.getJsonObject("best_trial").getJsonObject("hyperparameters"));
    assertEquals(bestF1, again.getJsonObject("best_trial").getDouble("objective"), 1e-9);
    for (int i = 0; i < 4; i++) {
      assertEquals(trials.getJsonObject(i).getJsonObject("hyperparameters"), again.getJsonArray("trials").getJsonObject(i).getJsonObject("hyperparameters"));
    }
    assertEquals(2, owner.get("/v1/models/tuned").json().getInteger("latest_version"));
    assertTrue(owner.get("/v1/tuning-jobs").data().size() >= 2);
  }

  /** Verifies that a plan's concurrent_jobs bounds the trials running at once below parallel_trials. */
  @Test
  void concurrentJobsBoundsTrials() {
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "one-at-a-time")
        .put("limits", new JsonObject().put("concurrent_jobs", 1))).status());
    TenantFixture solo = TenantFixture.create(app, "solo", "one-at-a-time");
    Api soloOwner = app.api().as(solo.ownerToken());
    JsonObject request = search("solo", upload(soloOwner)).put("parallel_trials", 3).put("max_trials", 3);
    JsonObject done = awaitEnd(soloOwner, submit(soloOwner, request).getString("id"));
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    assertEquals(3, done.getJsonArray("trials").size());
    assertEquals(1, maxOverlap(done.getJsonArray("trials")), done.getJsonArray("trials").encodePrettily());
  }

  /**
   * Verifies that once the training_seconds quota is used up no further trial starts and the
   * tuning job says why (the trials that ran still register the best), and that a tuning job
   * submitted with no quota left fails with the reason and runs no trial.
   */
  @Test
  void trainingSecondsQuotaStopsFurtherTrials() {
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "one-second")
        .put("limits", new JsonObject().put("training_seconds", 1))).status());
    TenantFixture tight = TenantFixture.create(app, "tight", "one-second");
    Api tightOwner = app.api().as(tight.ownerToken());
    String dataset = upload(tightOwner);
    // Each trial trains for longer than the whole quota (40 epochs of 30 batches: seconds).
    JsonObject request = search("tight", dataset).put("parallel_trials", 1).put("max_trials", 3)
        .put("hyperparameters", new JsonObject().put("epochs", 40).put("batch_size", 8));
    JsonObject stopped = awaitEnd(tightOwner, submit(tightOwner, request).getString("id"));
    assertEquals("succeeded", stopped.getString("state"), stopped.encodePrettily());
    assertEquals(1, stopped.getJsonArray("trials").size(), stopped.encodePrettily());
    assertTrue(stopped.getString("stop_reason").contains("training_seconds quota is used up"), stopped.getString("stop_reason"));
    assertEquals(1, tightOwner.get("/v1/models/tight").json().getInteger("latest_version"));

    JsonObject refused = awaitEnd(tightOwner, submit(tightOwner, request.put("model", "tight-again")).getString("id"));
    assertEquals("failed", refused.getString("state"), refused.encodePrettily());
    assertTrue(refused.getString("error").contains("training_seconds quota is used up"), refused.getString("error"));
    assertEquals(0, refused.getJsonArray("trials").size());
    assertNull(refused.getValue("best_trial"));
  }

  /** Verifies that ASHA stops trials whose objective is in the worse two thirds at a rung, before their last epoch. */
  @Test
  void ashaStopsWeakTrialsEarly() {
    JsonObject request = search("asha", datasetId).put("strategy", "asha").put("max_trials", 6).put("parallel_trials", 1)
        .put("min_epochs", 1).put("hyperparameters", new JsonObject().put("epochs", 9))
        .put("search_space", new JsonObject().put("learning_rate", logUniform(1e-6, 0.3)));
    JsonObject done = awaitEnd(owner, submit(owner, request).getString("id"));
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    List<JsonObject> stopped = new ArrayList<>();
    done.getJsonArray("trials").forEach(t -> {
      if (((JsonObject) t).getString("state").equals("stopped")) {
        stopped.add((JsonObject) t);
      }
    });
    assertTrue(!stopped.isEmpty(), "some trial stopped early: " + done.getJsonArray("trials").encodePrettily());
    for (JsonObject trial : stopped) {
      assertTrue(trial.getJsonArray("objective_per_epoch").size() < 9, trial.encodePrettily());
    }
    assertEquals("succeeded", done.getJsonObject("best_trial").getString("state"));
  }

  /** Verifies that bad requests get 4xx problems naming the field, and that an unknown tuning job is 404. */
  @Test
  void badRequestsAreRefused() {
    JsonObject unknown = search("bad", datasetId);
    unknown.getJsonObject("search_space").put("momentum", new JsonObject().put("uniform", new JsonArray().add(0.1).add(0.9)));
    assertField(unknown, "search_space.momentum");
    assertField(search("bad", datasetId).put("objective", "r2"), "objective");
    assertField(search("bad", datasetId).put("parallel_trials", 0), "parallel_trials");
    assertField(search("bad", datasetId).put("strategy", "bayes"), "strategy");
    assertField(search("bad", datasetId).put("label", "nope"), "label");
    assertField(search("bad", datasetId).put("architecture", "cnn"), "architecture");
    assertField(search("Bad Name", datasetId), "model");
    assertField(search("bad", datasetId).put("search_space", new JsonObject().put("learning_rate", new JsonObject().put("uniform",
        new JsonArray().add(0.5).add(0.1)))), "search_space.learning_rate");
    Api.Response noData = owner.post("/v1/tuning-jobs", search("bad", "00000000-0000-0000-0000-000000000009"));
    assertEquals(404, noData.status(), noData.toString());
    assertEquals(404, owner.get("/v1/tuning-jobs/00000000-0000-0000-0000-000000000009").status());
    Api.Response missing = owner.post("/v1/tuning-jobs", search("bad", datasetId).copy().put("search_space", (Object) null));
    assertEquals(400, missing.status(), missing.toString());
  }

  private static void assertField(JsonObject request, String field) {
    Api.Response bad = owner.post("/v1/tuning-jobs", request);
    assertEquals(400, bad.status(), bad.toString());
    assertTrue(bad.header("Content-Type").startsWith("application/problem+json"), bad.toString());
    assertEquals(field, bad.json().getJsonArray("errors").getJsonObject(0).getString("field"), bad.toString());
  }

  /** Verifies that cancelling a tuning job stops every trial and registers nothing. */
  @Test
  void cancelStopsEveryTrial() {
    JsonObject request = search("cancelled", datasetId).put("hyperparameters", new JsonObject().put("epochs", 1000));
    String id = submit(owner, request).getString("id");
    Eventually.until(() -> owner.get("/v1/tuning-jobs/" + id).json(),
        j -> j.getJsonArray("trials").stream().anyMatch(t -> ((JsonObject) t).getString("state").equals("running")), Duration.ofSeconds(60));
    Api.Response cancelled = owner.post("/v1/tuning-jobs/" + id + "/cancel", new JsonObject());
    assertEquals(200, cancelled.status(), cancelled.toString());
    assertEquals("cancelled", cancelled.json().getString("state"));
    JsonObject settled = Eventually.until(() -> owner.get("/v1/tuning-jobs/" + id).json(),
        j -> j.getJsonArray("trials").stream().noneMatch(t -> List.of("queued", "running").contains(((JsonObject) t).getString("state"))),
        Duration.ofSeconds(60));
    assertEquals("cancelled", settled.getString("state"));
    assertEquals(404, owner.get("/v1/models/cancelled").status());
    assertNotNull(settled.getJsonArray("trials"));
  }
}

package dev.aiaas.gateway.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Training end to end: upload, submit, a DJL worker trains, progress streams, a model version is registered. */
class TrainingJobsIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;
  private static Api owner;
  private static String datasetId;

  /** A learnable table: the class is whether x1 + x2 (plus a little noise) is positive; c is a distraction. */
  private static String csv(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("x1,x2,c,label\n");
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      String label = x1 + x2 + random.nextGaussian() * 0.1 > 0 ? "yes" : "no";
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s,%s%n", x1, x2, random.nextBoolean() ? "a" : "b", label));
    }
    return csv.toString();
  }

  @BeforeAll
  static void data() {
    acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
    Api.Response upload = owner.postBytes("/v1/datasets?name=blobs&format=csv", "text/csv", csv(400, 7).getBytes(StandardCharsets.UTF_8));
    assertEquals(201, upload.status(), upload.toString());
    datasetId = upload.json().getString("id");
  }

  private static JsonObject request(int epochs) {
    return new JsonObject().put("dataset_id", datasetId).put("model", "signs").put("task", "classification").put("label", "label")
        .put("architecture", "mlp").put("hyperparameters", new JsonObject().put("epochs", epochs).put("learning_rate", 0.01)
            .put("hidden_units", new JsonArray().add(16))).put("seed", 11);
  }

  private static JsonObject awaitState(String jobId, String state, Duration timeout) {
    return Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(), job -> job.getString("state").equals(state)
        || (job.getString("state").equals("failed") && !state.equals("failed")), timeout);
  }

  /**
   * Verifies that a job trains on the worker to a high validation accuracy, streams one progress
   * event per epoch then completed, registers model version 1 with its metrics, and meters
   * training seconds.
   */
  @Test
  void trainsEvaluatesAndRegisters() throws Exception {
    Api.Response submitted = owner.post("/v1/training-jobs", request(8));
    assertEquals(202, submitted.status(), submitted.toString());
    assertEquals("queued", submitted.json().getString("state"));
    String jobId = submitted.json().getString("id");

    HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri("/v1/training-jobs/" + jobId + "/events"))
        .header("Authorization", "Bearer " + acme.ownerToken()).timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, events.statusCode());
    assertTrue(events.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
    Matcher progress = Pattern.compile("(?m)^event: progress$").matcher(events.body());
    int epochs = 0;
    while (progress.find()) {
      epochs++;
    }
    assertEquals(8, epochs, events.body());
    assertTrue(events.body().contains("event: completed"), events.body());
    JsonObject job = awaitState(jobId, "succeeded", Duration.ofSeconds(30));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    JsonObject result = job.getJsonObject("result");
    assertEquals("signs", result.getString("model"));
    assertEquals(1, result.getInteger("version"));
    assertTrue(result.getJsonObject("metrics").getDouble("accuracy") >= 0.9, result.encodePrettily());
    assertEquals(8, result.getInteger("best_epoch"), "without patience the last epoch is registered");
    assertEquals("stratified", job.getString("split"));
    assertEquals("none", job.getString("class_weight"));
    assertTrue(result.getJsonObject("metrics").getDouble("roc_auc") >= 0.9, result.encodePrettily());
    JsonObject model = owner.get("/v1/models/signs").json();
    JsonObject stored = model.getJsonArray("versions").getJsonObject(0).getJsonObject("metrics");
    assertTrue(stored.getJsonObject("roc_curve").getJsonArray("tpr").size() <= 101, stored.encodePrettily());
    assertTrue(stored.getDouble("log_loss") > 0, stored.encodePrettily());
    assertEquals(1, model.getInteger("latest_version"));
    assertTrue(model.getJsonArray("versions").getJsonObject(0).getLong("artifact_bytes") > 0);
    assertTrue(new java.math.BigDecimal(owner.get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("training_seconds").getString("used"))
        .signum() > 0, "training seconds are metered");
  }

  /** Verifies that a running job is cancelled within an epoch. */
  @Test
  void cancelStopsARunningJob() {
    String jobId = owner.post("/v1/training-jobs", request(1000)).json().getString("id");
    Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(), job -> job.containsKey("progress"), Duration.ofSeconds(60));

    assertEquals(200, owner.post("/v1/training-jobs/" + jobId + "/cancel", new JsonObject()).status());

    JsonObject job = awaitState(jobId, "cancelled", Duration.ofSeconds(30));
    assertEquals("cancelled", job.getString("state"));
    assertTrue(job.getJsonObject("progress").getInteger("epoch") < 1000);
  }

  /** Verifies that bad requests name the field, and that another tenant sees nothing. */
  @Test
  void badRequestsAndIsolation() {
    Api.Response noLabel = owner.post("/v1/training-jobs", request(2).put("label", "colour"));
    assertEquals(400, noLabel.status());
    assertEquals("label", noLabel.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertTrue(noLabel.json().getString("detail").contains("x1"), "the available columns are named");
    Api.Response badEpochs = owner.post("/v1/training-jobs", request(0));
    assertEquals(400, badEpochs.status());
    assertEquals("hyperparameters.epochs", badEpochs.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Api.Response regressionOnText = owner.post("/v1/training-jobs", request(2).put("task", "regression")
        .put("hyperparameters", new JsonObject().put("epochs", 2)));
    assertEquals(400, regressionOnText.status(), regressionOnText.toString());
    for (String field : List.of("split", "class_weight", "cv_folds")) {
      Api.Response bad = owner.post("/v1/training-jobs", request(2).put(field, field.equals("cv_folds") ? (Object) 2 : "kfold"));
      assertEquals(400, bad.status(), bad.toString());
      assertEquals(field, bad.json().getJsonArray("errors").getJsonObject(0).getString("field"), bad.toString());
    }

    TenantFixture other = TenantFixture.create(app, "other");
    Api stranger = app.api().as(other.ownerToken());
    assertEquals(404, stranger.post("/v1/training-jobs", request(2)).status(), "another tenant's dataset does not exist for them");
    String jobId = owner.post("/v1/training-jobs", request(1)).json().getString("id");
    assertEquals(404, stranger.get("/v1/training-jobs/" + jobId).status());
    assertEquals(404, stranger.post("/v1/training-jobs/" + jobId + "/cancel", new JsonObject()).status());
    assertEquals(404, stranger.get("/v1/models/signs").status());
    assertEquals(0, stranger.get("/v1/training-jobs").data().size());
  }

  /** Verifies that a regression job (numeric label) reaches a high R² on a learnable linear relation. */
  @Test
  void regressionReachesHighR2() {
    Random random = new Random(21);
    StringBuilder csv = new StringBuilder("a,b,y\n");
    for (int i = 0; i < 300; i++) {
      double a = random.nextGaussian();
      double b = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, 3 * a - 2 * b + 1 + random.nextGaussian() * 0.1));
    }
    String dataset = owner.postBytes("/v1/datasets?name=linear&format=csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
        .json().getString("id");

    Api.Response submitted = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "line")
        .put("task", "regression").put("label", "y").put("architecture", "linear")
        .put("hyperparameters", new JsonObject().put("epochs", 30).put("learning_rate", 0.05)).put("seed", 4).put("cv_folds", 3));
    assertEquals(202, submitted.status(), submitted.toString());

    JsonObject job = awaitState(submitted.json().getString("id"), "succeeded", Duration.ofSeconds(90));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    JsonObject metrics = job.getJsonObject("result").getJsonObject("metrics");
    assertTrue(metrics.getDouble("r2") >= 0.95, job.encodePrettily());
    assertTrue(Math.abs(metrics.getJsonObject("residuals").getDouble("median")) < 0.5, metrics.encodePrettily());
    JsonObject r2 = metrics.getJsonObject("cross_validation").getJsonObject("metrics").getJsonObject("r2");
    assertTrue(r2.getDouble("mean") >= 0.95 && r2.getDouble("std") >= 0, metrics.encodePrettily());
    assertEquals(3, job.getInteger("cv_folds"));
  }
}

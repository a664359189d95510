package dev.aiaas.gateway.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.PrometheusText;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.worker.serving.StoredModel;
import dev.aiaas.worker.training.Prediction;
import dev.aiaas.worker.training.TabularModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Serving end to end: models trained by a DJL worker are deployed, answer v1 and V2 predictions
 * through the event bus with dynamic batching, are metered per instance, swap versions without a
 * failed request, and predict whole datasets as batch jobs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;
  private static Api owner;
  private static String datasetId;
  private static String datasetCsv;
  private static double evaluationAccuracy;

  /** The class is whether x1 + x2 (plus a little noise) is positive; c is a distraction. */
  static List<Row> rows(int n, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      rows.add(new Row(Math.round(x1 * 1e4) / 1e4, Math.round(x2 * 1e4) / 1e4, random.nextBoolean() ? "a" : "b",
          x1 + x2 + random.nextGaussian() * 0.1 > 0 ? "yes" : "no"));
    }
    return rows;
  }

  record Row(double x1, double x2, String c, String label) {
    JsonObject object() {
      return new JsonObject().put("x1", x1).put("x2", x2).put("c", c);
    }

    JsonArray array() {
      return new JsonArray().add(x1).add(x2).add(c);
    }
  }

  @BeforeAll
  static void trainTwoVersionsAndARegressor() {
    acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
    StringBuilder csv = new StringBuilder("x1,x2,c,label\n");
    rows(400, 7).forEach(r -> csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", r.x1(), r.x2(), r.c(), r.label())));
    datasetCsv = csv.toString();
    datasetId = owner.postBytes("/v1/datasets?name=signs&format=csv", "text/csv", datasetCsv.getBytes(StandardCharsets.UTF_8))
        .json().getString("id");
    JsonObject v1 = train(new JsonObject().put("dataset_id", datasetId).put("model", "signs").put("task", "classification")
        .put("label", "label").put("architecture", "mlp").put("seed", 11)
        .put("hyperparameters", new JsonObject().put("epochs", 8).put("learning_rate", 0.01).put("hidden_units", new JsonArray().add(16))));
    evaluationAccuracy = v1.getJsonObject("result").getJsonObject("metrics").getDouble("accuracy");
    train(new JsonObject().put("dataset_id", datasetId).put("model", "signs").put("task", "classification")
        .put("label", "label").put("architecture", "linear").put("seed", 12).put("hyperparameters", new JsonObject().put("epochs", 5)));
    train(new JsonObject().put("dataset_id", datasetId).put("model", "sum").put("task", "regression")
        .put("label", "x2").put("architecture", "linear").put("seed", 13).put("hyperparameters", new JsonObject().put("epochs", 3)));
  }

  private static JsonObject train(JsonObject request) {
    Api.Response submitted = owner.post("/v1/training-jobs", request);
    assertEquals(202, submitted.status(), submitted.toString());
    JsonObject job = Eventually.until(() -> owner.get("/v1/training-jobs/" + submitted.json().getString("id")).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(120));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    return job;
  }

  private static Api.Response deploy(String model, int version, JsonObject options) {
    return owner.post("/v1/models/" + model + "/deployment", options.copy().put("version", version));
  }

  private static JsonObject predict(JsonArray instances) {
    Api.Response answer = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", instances));
    assertEquals(200, answer.status(), answer.toString());
    return answer.json();
  }

  private static BigDecimal predictionsUsed() {
    return new BigDecimal(owner.get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("predictions").getString("used"));
  }

  /** Verifies that a deployed model answers raw rows with the accuracy its evaluation reported, naming model and version. */
  @Test
  @Order(1)
  void deployedModelPredictsWithItsEvaluationAccuracy() {
    Api.Response deployed = deploy("signs", 1, new JsonObject());
    assertEquals(200, deployed.status(), deployed.toString());
    assertEquals("ready", deployed.json().getString("state"));
    assertEquals(32, deployed.json().getInteger("max_batch_size"));
    assertEquals(1, owner.get("/v1/models/signs").json().getJsonObject("deployment").getInteger("version"));

    List<Row> fresh = rows(300, 99);
    JsonArray instances = new JsonArray();
    fresh.forEach(r -> instances.add(r.object()));
    JsonObject answer = predict(instances);

    assertEquals("signs", answer.getString("model"));
    assertEquals(1, answer.getInteger("version"));
    JsonArray predictions = answer.getJsonArray("predictions");
    assertEquals(300, predictions.size());
    int right = 0;
    for (int i = 0; i < fresh.size(); i++) {
      JsonObject p = predictions.getJsonObject(i);
      double sum = p.getJsonObject("probabilities").getDouble("yes") + p.getJsonObject("probabilities").getDouble("no");
      assertEquals(1.0, sum, 1e-4, "probabilities of both classes sum to 1");
      if (p.getString("label").equals(fresh.get(i).label())) {
        right++;
      }
    }
    double accuracy = right / 300.0;
    assertTrue(Math.abs(accuracy - evaluationAccuracy) <= 0.08,
        "accuracy on fresh rows " + accuracy + " agrees with the evaluation's " + evaluationAccuracy);

    // positional rows give the same answers as objects
    JsonArray positional = new JsonArray();
    fresh.subList(0, 10).forEach(r -> positional.add(r.array()));
    JsonArray fromArrays = predict(positional).getJsonArray("predictions");
    for (int i = 0; i < 10; i++) {
      assertEquals(predictions.getJsonObject(i).getString("label"), fromArrays.getJsonObject(i).getString("label"));
    }
  }

  /**
   * Verifies that the gateway's predictions equal those of the same version loaded in-process
   * through DJL from the platform's database, whether an instance rides alone or in a forward pass
   * with others' instances, as an object or a positional array.
   */
  @Test
  @Order(1)
  void predictionsEqualTheModelLoadedInProcess() throws Exception {
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    List<Row> fresh = rows(40, 123);
    List<Prediction> expected = new ArrayList<>();
    try (TabularModel local = loadInProcess("signs", 1)) {
      // GIVEN the in-process model's answers, one instance per forward pass
      for (Row r : fresh) {
        expected.add(local.predict(List.of(r.object().getMap())).get(0));
      }
    }
    // WHEN the gateway answers them in one request, positionally, and one request per instance concurrently
    JsonArray objects = new JsonArray();
    JsonArray arrays = new JsonArray();
    fresh.forEach(r -> {
      objects.add(r.object());
      arrays.add(r.array());
    });
    JsonArray together = predict(objects).getJsonArray("predictions");
    JsonArray positional = predict(arrays).getJsonArray("predictions");
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonObject>> alone = new ArrayList<>();
      for (Row r : fresh) {
        alone.add(clients.submit(() -> predict(new JsonArray().add(r.object())).getJsonArray("predictions").getJsonObject(0)));
      }
      // THEN every answer is the in-process one
      for (int i = 0; i < fresh.size(); i++) {
        JsonObject want = expected.get(i).toJson();
        assertSamePrediction(want, together.getJsonObject(i), "instance " + i + " in one request");
        assertSamePrediction(want, positional.getJsonObject(i), "instance " + i + " as an array");
        assertSamePrediction(want, alone.get(i).get(60, TimeUnit.SECONDS), "instance " + i + " alone");
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** The label exactly; probabilities to float precision (a forward pass of other rows may round differently). */
  private static void assertSamePrediction(JsonObject expected, JsonObject actual, String what) {
    assertEquals(expected.getString("label"), actual.getString("label"), what);
    JsonObject want = expected.getJsonObject("probabilities");
    JsonObject got = actual.getJsonObject("probabilities");
    assertEquals(want.fieldNames(), got.fieldNames(), what);
    for (String label : want.fieldNames()) {
      assertEquals(want.getDouble(label), got.getDouble(label), 1e-6, what + ", p(" + label + ")");
    }
  }

  /** The version as a worker loads it: its registry row and its parameters' chunks from PostgreSQL. */
  private static TabularModel loadInProcess(String name, int version) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(app.database().connectOptions()).using(vertx).build();
      StoredModel model = StoredModel.from(pool.preparedQuery("SELECT " + StoredModel.COLUMNS
              + " FROM models m WHERE m.tenant_id = $1 AND m.name = $2 AND m.version = $3")
          .execute(Tuple.of(UUID.fromString(acme.id()), name, version)).await().iterator().next());
      byte[] parameters = dev.aiaas.gateway.testing.StoredArtifacts.parameters(pool, app.platform().dataKeys(), model.id());
      pool.close().await();
      return model.loadTabularModel(parameters, Device.cpu());
    } finally {
      vertx.close().await();
    }
  }

  /** Verifies that the Open Inference Protocol endpoints serve the same deployment with the same answers. */
  @Test
  @Order(2)
  void inferenceProtocolGivesTheSameAnswers() {
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    List<Row> fresh = rows(20, 5);
    JsonArray instances = new JsonArray();
    fresh.forEach(r -> instances.add(r.array()));
    JsonArray v1 = predict(instances).getJsonArray("predictions");

    assertEquals(true, owner.get("/v2/health/ready").json().getBoolean("ready"));
    assertEquals(200, owner.get("/v2/models/signs/ready").status());
    JsonObject metadata = owner.get("/v2/models/signs").json();
    assertEquals(List.of("1"), metadata.getJsonArray("versions").getList());
    assertEquals("x1", metadata.getJsonArray("inputs").getJsonObject(0).getString("name"));
    assertEquals("BYTES", metadata.getJsonArray("inputs").getJsonObject(2).getString("datatype"), "c is categorical");

    // one tensor of positional rows (mixed types travel as BYTES, the V2 way for strings)
    JsonArray data = new JsonArray();
    fresh.forEach(r -> data.add(r.array()));
    Api.Response matrix = owner.post("/v2/models/signs/infer", new JsonObject().put("id", "req-1").put("inputs", new JsonArray()
        .add(new JsonObject().put("name", "rows").put("shape", new JsonArray().add(20).add(3)).put("datatype", "BYTES")
            .put("data", stringify(data)))));
    assertEquals(200, matrix.status(), matrix.toString());
    assertEquals("req-1", matrix.json().getString("id"));
    assertEquals("signs", matrix.json().getString("model_name"));
    assertEquals("1", matrix.json().getString("model_version"));
    assertSameAnswers(v1, matrix.json());

    // one tensor per column, the numeric ones as FP64
    JsonArray x1 = new JsonArray();
    JsonArray x2 = new JsonArray();
    JsonArray c = new JsonArray();
    fresh.forEach(r -> {
      x1.add(r.x1());
      x2.add(r.x2());
      c.add(r.c());
    });
    Api.Response columns = owner.post("/v2/models/signs/infer", new JsonObject().put("inputs", new JsonArray()
        .add(tensor("x1", "FP64", x1)).add(tensor("x2", "FP64", x2)).add(tensor("c", "BYTES", c))));
    assertEquals(200, columns.status(), columns.toString());
    assertSameAnswers(v1, columns.json());

    Api.Response versioned = owner.post("/v2/models/signs/versions/1/infer", new JsonObject().put("inputs", new JsonArray()
        .add(tensor("x1", "FP64", x1)).add(tensor("x2", "FP64", x2)).add(tensor("c", "BYTES", c))));
    assertEquals(200, versioned.status(), versioned.toString());
    assertSameAnswers(v1, versioned.json());
    assertEquals(200, owner.get("/v2/models/signs/versions/1").status());
    assertEquals(200, owner.get("/v2/models/signs/versions/1/ready").status());
    Api.Response notDeployedVersion = owner.get("/v2/models/signs/versions/2/ready");
    assertEquals(404, notDeployedVersion.status(), "version 2 exists but version 1 is the one served");
    assertTrue(notDeployedVersion.json().getString("error").contains("version 1 is"), notDeployedVersion.toString());
    assertEquals("aiaas", owner.get("/v2").json().getString("name"));

    Api.Response onlyLabels = owner.post("/v2/models/signs/infer", new JsonObject().put("inputs", new JsonArray()
        .add(tensor("x1", "FP64", x1)).add(tensor("x2", "FP64", x2)).add(tensor("c", "BYTES", c)))
        .put("outputs", new JsonArray().add(new JsonObject().put("name", "label"))));
    assertEquals(1, onlyLabels.json().getJsonArray("outputs").size());

    Api.Response badShape = owner.post("/v2/models/signs/infer", new JsonObject().put("inputs", new JsonArray()
        .add(new JsonObject().put("name", "rows").put("shape", new JsonArray().add(20).add(2)).put("datatype", "FP32")
            .put("data", new JsonArray()))));
    assertEquals(400, badShape.status());
    assertTrue(badShape.json().getString("error").contains("shape"), "V2 clients read the error member: " + badShape);
    Api.Response missingColumn = owner.post("/v2/models/signs/infer", new JsonObject().put("inputs", new JsonArray()
        .add(tensor("x1", "FP64", x1)).add(tensor("x2", "FP64", x2))));
    assertEquals(400, missingColumn.status());
    assertTrue(missingColumn.json().getString("error").contains("'c'"), missingColumn.toString());
  }

  private static JsonArray stringify(JsonArray rows) {
    JsonArray out = new JsonArray();
    rows.forEach(row -> {
      JsonArray strings = new JsonArray();
      ((JsonArray) row).forEach(v -> strings.add(String.valueOf(v)));
      out.add(strings);
    });
    return out;
  }

  private static JsonObject tensor(String name, String datatype, JsonArray data) {
    return new JsonObject().put("name", name).put("datatype", datatype).put("shape", new JsonArray().add(data.size())).put("data", data);
  }

  private static void assertSameAnswers(JsonArray v1, JsonObject v2) {
    JsonArray labels = null;
    JsonArray probabilities = null;
    for (Object o : v2.getJsonArray("outputs")) {
      JsonObject output = (JsonObject) o;
      if (output.getString("name").equals("label")) {
        labels = output.getJsonArray("data");
      } else if (output.getString("name").equals("probabilities")) {
        probabilities = output.getJsonArray("data");
        assertEquals(List.of(v1.size(), 2), output.getJsonArray("shape").getList());
      }
    }
    for (int i = 0; i < v1.size(); i++) {
      assertEquals(v1.getJsonObject(i).getString("label"), labels.getString(i));
      assertEquals(v1.getJsonObject(i).getJsonObject("probabilities").getDouble("no"), probabilities.getDouble(2 * i), 1e-5);
      assertEquals(v1.getJsonObject(i).getJsonObject("probabilities").getDouble("yes"), probabilities.getDouble(2 * i + 1), 1e-5);
    }
  }

  /** Verifies that bad instances get a 400 naming the instance and field, and are not metered. */
  @Test
  @Order(3)
  void badInstancesNameTheFieldAndCostNothing() {
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    BigDecimal before = predictionsUsed();

    Api.Response tooFew = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", new JsonArray()
        .add(new JsonArray().add(1.0).add(2.0))));
    assertEquals(400, tooFew.status(), tooFew.toString());
    assertEquals("instances[0]", tooFew.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Api.Response wrongType = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", new JsonArray()
        .add(rows(1, 1).get(0).object()).add(new JsonObject().put("x1", "lots").put("x2", 1).put("c", "a"))));
    assertEquals(400, wrongType.status(), wrongType.toString());
    assertEquals("instances[1].x1", wrongType.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Api.Response missing = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", new JsonArray()
        .add(new JsonObject().put("x1", 1).put("x2", 1))));
    assertEquals(400, missing.status());
    assertEquals("instances[0].c", missing.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Api.Response scalar = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", new JsonArray().add(42)));
    assertEquals(400, scalar.status(), scalar.toString());
    assertEquals("validation-failed", scalar.problem(), scalar.toString());
    assertEquals("instances[0]", scalar.json().getJsonArray("errors").getJsonObject(0).getString("field"), scalar.toString());
    // The dedicated check hands what it does not pass to the contract's validator: the usual 400, naming the field.
    JsonArray one = new JsonArray().add(rows(1, 1).get(0).object());
    Api.Response lateScalar = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", one.copy().add("x")));
    assertEquals("instances[1]", lateScalar.json().getJsonArray("errors").getJsonObject(0).getString("field"), lateScalar.toString());
    Api.Response extraKey = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", one).put("instance", 1));
    assertEquals(400, extraKey.status(), extraKey.toString());
    assertEquals("instance", extraKey.json().getJsonArray("errors").getJsonObject(0).getString("field"), extraKey.toString());
    Api.Response notAnArray = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", rows(1, 1).get(0).object()));
    assertEquals(400, notAnArray.status(), notAnArray.toString());
    assertEquals("instances", notAnArray.json().getJsonArray("errors").getJsonObject(0).getString("field"), notAnArray.toString());
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= 10_000; i++) {
      tooMany.add(new JsonArray());
    }
    Api.Response overLimit = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", tooMany));
    assertEquals(400, overLimit.status(), overLimit.toString());
    assertEquals("instances", overLimit.json().getJsonArray("errors").getJsonObject(0).getString("field"), overLimit.toString());
    Api.Response bareArray = owner.postRaw("/v1/models/signs/predict", "application/json", one.encode());
    assertEquals(400, bareArray.status(), bareArray.toString());
    assertEquals("validation-failed", bareArray.problem(), bareArray.toString());
    Api.Response badName = owner.post("/v1/models/Signs!/predict", new JsonObject().put("instances", one));
    assertEquals(400, badName.status(), badName.toString());
    assertEquals("name", badName.json().getJsonArray("errors").getJsonObject(0).getString("field"), badName.toString());
    Api.Response none = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", new JsonArray()));
    assertEquals(400, none.status());
    assertEquals(404, owner.post("/v1/models/nosuch/predict", new JsonObject().put("instances", new JsonArray().add(new JsonArray()))).status());
    Api.Response noVersion = deploy("signs", 9, new JsonObject());
    assertEquals(404, noVersion.status());
    assertTrue(noVersion.json().getString("detail").contains("version 9"), noVersion.toString());
    assertEquals(400, deploy("signs", 1, new JsonObject().put("max_batch_size", 0)).status());

    assertEquals(before, predictionsUsed(), "failed calls are not metered");
  }

  /** Verifies that usage counts exactly the instances answered. */
  @Test
  @Order(4)
  void everyAnsweredInstanceIsMetered() {
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    BigDecimal before = predictionsUsed();
    int answered = 0;
    for (int n : new int[] {1, 5, 10}) {
      JsonArray instances = new JsonArray();
      rows(n, n).forEach(r -> instances.add(r.object()));
      answered += predict(instances).getJsonArray("predictions").size();
    }
    assertEquals(16, answered);
    assertEquals(before.add(BigDecimal.valueOf(16)), predictionsUsed());
    java.time.Instant today = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    JsonObject usage = owner.get("/v1/usage?from=" + today.minus(Duration.ofDays(1)) + "&to=" + today.plus(Duration.ofDays(2))
        + "&granularity=day&group_by=model").json();
    assertTrue(usage.encode().contains("\"signs\""), "predictions are metered per model: " + usage.encode());
  }

  /**
   * Verifies that concurrent requests share forward passes (the batch size metric exceeds 1) and
   * get the same answers as requests served alone.
   */
  @Test
  @Order(5)
  void concurrentRequestsAreBatchedWithUnchangedAnswers() throws Exception {
    assertEquals(200, deploy("signs", 1, new JsonObject().put("max_batch_delay_ms", 20)).status());
    List<Row> fresh = rows(24, 17);
    List<JsonObject> alone = new ArrayList<>();
    for (Row r : fresh) {
      alone.add(predict(new JsonArray().add(r.object())).getJsonArray("predictions").getJsonObject(0));
    }

    ExecutorService clients = Executors.newFixedThreadPool(12);
    try {
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (Row r : fresh) {
          answers.add(clients.submit(() -> predict(new JsonArray().add(r.object())).getJsonArray("predictions").getJsonObject(0)));
        }
      }
      for (int i = 0; i < answers.size(); i++) {
        JsonObject batched = answers.get(i).get(60, TimeUnit.SECONDS);
        JsonObject single = alone.get(i % fresh.size());
        assertEquals(single.getString("label"), batched.getString("label"));
        assertEquals(single.getJsonObject("probabilities").getDouble("yes"), batched.getJsonObject("probabilities").getDouble("yes"), 1e-5);
      }
    } finally {
      clients.shutdownNow();
    }
    double max = PrometheusText.value(app.get("/metrics").body(), "aiaas_predict_batch_instances_max");
    assertTrue(max > 1, "some forward pass served more than one request (the batch size in /metrics): " + max);
  }

  /** Verifies that redeploying other versions under concurrent load fails no request. */
  @Test
  @Order(6)
  void redeployUnderLoadFailsNoRequest() throws Exception {
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Set<Integer> versions = ConcurrentHashMap.newKeySet();
    ExecutorService clients = Executors.newFixedThreadPool(6);
    JsonObject request = new JsonObject().put("instances", new JsonArray().add(rows(1, 3).get(0).object()));
    try {
      for (int t = 0; t < 6; t++) {
        clients.submit(() -> {
          while (running.get()) {
            Api.Response answer = owner.post("/v1/models/signs/predict", request);
            if (answer.status() == 200) {
              ok.incrementAndGet();
              versions.add(answer.json().getInteger("version"));
            } else {
              failures.add(answer.toString());
            }
          }
        });
      }
      for (int version : new int[] {2, 1, 2}) {
        awaitMoreAnswers(ok, 10);
        Api.Response swapped = deploy("signs", version, new JsonObject());
        assertEquals(200, swapped.status(), swapped.toString());
        assertEquals("ready", swapped.json().getString("state"));
      }
      awaitMoreAnswers(ok, 10);
    } finally {
      running.set(false);
      clients.shutdown();
      assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
    }
    assertTrue(failures.isEmpty(), failures.size() + " requests failed during the swaps, e.g. " + (failures.isEmpty() ? "" : failures.get(0)));
    assertTrue(ok.get() > 20, "load was running: " + ok.get());
    assertEquals(Set.of(1, 2), versions, "both versions answered");
    assertEquals(2, predict(request.getJsonArray("instances")).getInteger("version"), "the last deploy serves");
  }

  /** Lets the clients' load run until {@code more} further answers arrived. */
  private static void awaitMoreAnswers(AtomicInteger ok, int more) {
    int before = ok.get();
    Eventually.until(ok::get, n -> n >= before + more, Duration.ofSeconds(30));
  }

  /** Verifies that a regression model answers values on the label's scale. */
  @Test
  @Order(7)
  void regressionAnswersValues() {
    assertEquals(200, deploy("sum", 1, new JsonObject()).status());
    Api.Response answer = owner.post("/v1/models/sum/predict", new JsonObject().put("instances", new JsonArray()
        .add(new JsonObject().put("x1", 0.5).put("c", "a").put("label", "yes"))));
    assertEquals(200, answer.status(), answer.toString());
    assertTrue(answer.json().getJsonArray("predictions").getJsonObject(0).containsKey("value"), answer.toString());
    Api.Response v2 = owner.post("/v2/models/sum/infer", new JsonObject().put("inputs", new JsonArray()
        .add(new JsonObject().put("name", "rows").put("shape", new JsonArray().add(1).add(3)).put("datatype", "BYTES")
            .put("data", new JsonArray().add("0.5").add("a").add("yes")))));
    assertEquals(200, v2.status(), v2.toString());
    assertEquals(answer.json().getJsonArray("predictions").getJsonObject(0).getDouble("value"),
        v2.json().getJsonArray("outputs").getJsonObject(0).getJsonArray("data").getDouble(0), 1e-9);
  }

  /** Verifies that a batch prediction predicts every row as online predict does, streams a CSV, and is metered per row. */
  @Test
  @Order(8)
  void batchPredictionCoversTheDataset() {
    BigDecimal before = predictionsUsed();
    Api.Response submitted = owner.post("/v1/batch-predictions", new JsonObject().put("model", "signs").put("version", 1)
        .put("dataset_id", datasetId));
    assertEquals(202, submitted.status(), submitted.toString());
    String id = submitted.json().getString("id");
    JsonObject job = Eventually.until(() -> owner.get("/v1/batch-predictions/" + id).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(60));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    assertEquals(400, job.getJsonObject("progress").getInteger("rows_done"));

    Api.Response result = owner.get("/v1/batch-predictions/" + id + "/result");
    assertEquals(200, result.status());
    assertTrue(result.header("Content-Type").startsWith("text/csv"));
    String[] lines = result.body().split("\r\n");
    assertEquals("row,prediction,probability_no,probability_yes,warnings", lines[0]);
    assertEquals(401, lines.length);
    List<Row> dataset = rows(400, 7);
    JsonArray first = new JsonArray();
    dataset.subList(0, 5).forEach(r -> first.add(r.object()));
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    JsonArray online = predict(first).getJsonArray("predictions");
    for (int i = 0; i < 5; i++) {
      String[] fields = lines[i + 1].split(",");
      assertEquals(Integer.toString(i + 1), fields[0]);
      assertEquals(online.getJsonObject(i).getString("label"), fields[1]);
    }
    assertEquals(before.add(BigDecimal.valueOf(400 + 5)), predictionsUsed(), "400 rows in batch and 5 online");

    String narrow = owner.postBytes("/v1/datasets?name=narrow&format=csv", "text/csv", "x1,label\n1,yes\n2,no\n".getBytes(StandardCharsets.UTF_8))
        .json().getString("id");
    Api.Response mismatch = owner.post("/v1/batch-predictions", new JsonObject().put("model", "signs").put("dataset_id", narrow));
    assertEquals(400, mismatch.status());
    assertTrue(mismatch.json().getString("detail").contains("x2"), mismatch.toString());
    Api.Response notReady = owner.post("/v1/batch-predictions", new JsonObject().put("model", "signs").put("dataset_id", datasetId));
    Api.Response cancelled = owner.post("/v1/batch-predictions/" + notReady.json().getString("id") + "/cancel", new JsonObject());
    assertEquals(200, cancelled.status());
    JsonObject after = Eventually.until(() -> owner.get("/v1/batch-predictions/" + notReady.json().getString("id")).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(60));
    if (after.getString("state").equals("cancelled")) {
      assertEquals(409, owner.get("/v1/batch-predictions/" + notReady.json().getString("id") + "/result").status());
    }
    assertEquals(1, owner.get("/v1/batch-predictions").data().stream()
        .filter(j -> ((JsonObject) j).getString("id").equals(id)).count());

    // the result is stored data: it counts towards storage until the job is deleted
    long resultBytes = job.getLong("result_bytes");
    assertEquals(result.body().getBytes(StandardCharsets.UTF_8).length, resultBytes);
    long storedBefore = storageUsed();
    assertEquals(204, owner.delete("/v1/batch-predictions/" + id).status());
    assertEquals(storedBefore - resultBytes, storageUsed());
    assertEquals(404, owner.get("/v1/batch-predictions/" + id).status());
    assertEquals(404, owner.delete("/v1/batch-predictions/" + id).status());
  }

  private static long storageUsed() {
    return new BigDecimal(owner.get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("storage_bytes").getString("used"))
        .longValueExact();
  }

  /** Verifies that another tenant can neither see, deploy nor predict with acme's models. */
  @Test
  @Order(9)
  void otherTenantsCannotUseTheModel() {
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    Api stranger = app.api().as(TenantFixture.create(app, "other").ownerToken());
    JsonObject instances = new JsonObject().put("instances", new JsonArray().add(rows(1, 1).get(0).object()));
    assertEquals(404, stranger.post("/v1/models/signs/predict", instances).status());
    assertEquals(404, stranger.post("/v1/models/signs/deployment", new JsonObject().put("version", 1)).status());
    assertEquals(404, stranger.delete("/v1/models/signs/deployment").status());
    assertEquals(404, stranger.get("/v2/models/signs").status());
    assertEquals(404, stranger.post("/v1/batch-predictions", new JsonObject().put("model", "signs").put("dataset_id", datasetId)).status());
    String jobId = owner.get("/v1/batch-predictions").data().getJsonObject(0).getString("id");
    assertEquals(404, stranger.get("/v1/batch-predictions/" + jobId).status());
    assertEquals(404, stranger.get("/v1/batch-predictions/" + jobId + "/result").status());
    Api viewer = app.api().as(acme.viewerToken());
    assertEquals(403, viewer.post("/v1/models/signs/deployment", new JsonObject().put("version", 1)).status());
  }

  /** Verifies the plan's deployed-model limit: a redeploy is fine, a second model is refused. */
  @Test
  @Order(10)
  void planLimitsDeployedModels() {
    Api admin = app.api().as(app.adminToken());
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "one-model")
        .put("limits", new JsonObject().put("deployed_models", 1))).status());
    String tenantId = owner.get("/v1/tenant").json().getString("id");
    assertEquals(204, owner.delete("/v1/models/sum/deployment").status());
    assertEquals(200, admin.patch("/v1/admin/tenants/" + tenantId, new JsonObject().put("plan", "one-model")).status());
    try {
      assertEquals(200, deploy("signs", 2, new JsonObject()).status(), "a deployed name may be redeployed");
      Api.Response second = deploy("sum", 1, new JsonObject());
      assertEquals(409, second.status(), second.toString());
      assertEquals("urn:aiaas:problem:deployment-limit", second.json().getString("type"));
      assertEquals(1, second.json().getInteger("limit"));
    } finally {
      admin.patch("/v1/admin/tenants/" + tenantId, new JsonObject().put("plan", TenantFixture.UNLIMITED));
    }
  }

  /** Verifies that an undeployed model answers 409 on v1 and V2, and a deploy brings it back. */
  @Test
  @Order(11)
  void undeployedModelAnswers409() {
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    assertEquals(204, owner.delete("/v1/models/signs/deployment").status());
    Api.Response v1 = owner.post("/v1/models/signs/predict", new JsonObject().put("instances", new JsonArray().add(rows(1, 1).get(0).object())));
    assertEquals(409, v1.status(), v1.toString());
    assertEquals("urn:aiaas:problem:model-not-deployed", v1.json().getString("type"));
    assertEquals(409, owner.get("/v2/models/signs/ready").status());
    assertEquals(409, owner.get("/v1/models/signs/deployment").status());
    assertEquals(409, owner.delete("/v1/models/signs/deployment").status());
    assertFalse(owner.get("/v1/models/signs").json().containsKey("deployment") && owner.get("/v1/models/signs").json().getValue("deployment") != null);
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
    assertEquals(1, predict(new JsonArray().add(rows(1, 1).get(0).object())).getInteger("version"));
  }

  /** Verifies that a full queue answers 503 with Retry-After at once instead of queueing without bound, and costs nothing. */
  @Test
  @Order(12)
  void overloadIsRefusedWithRetryAfter() throws Exception {
    // One instance may wait, and it waits a whole second for company: a second request finds the queue full.
    assertEquals(200, deploy("signs", 1, new JsonObject().put("max_queue", 1).put("max_batch_delay_ms", 1000)).status());
    JsonObject request = new JsonObject().put("instances", new JsonArray().add(rows(1, 1).get(0).object()));
    BigDecimal before = predictionsUsed();
    ExecutorService client = Executors.newSingleThreadExecutor();
    try {
      Future<Api.Response> waiting = client.submit(() -> owner.post("/v1/models/signs/predict", request));
      PrometheusText.awaitPredictionsInFlight(owner, 1); // the first one waits in the worker's batcher
      Api.Response refused = owner.post("/v1/models/signs/predict", request);
      assertEquals(503, refused.status(), refused.toString());
      assertEquals("urn:aiaas:problem:overloaded", refused.json().getString("type"));
      assertEquals("1", refused.header("Retry-After"));
      assertEquals(200, waiting.get(10, TimeUnit.SECONDS).status());
    } finally {
      client.shutdownNow();
    }
    assertEquals(before.add(BigDecimal.ONE), predictionsUsed(), "only the answered instance is metered");
    assertEquals(200, deploy("signs", 1, new JsonObject()).status());
  }
}

package dev.aiaas.gateway.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Categories a model never saw in training, through the HTTP API: answered, but each answer that
 * rests on one says so, in v1, in V2 and in batch predictions.
 */
class UnseenCategoriesIT {

  private static final String UNSEEN = "instances[0].plan: 'enterprise' was not seen in training";

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static Api owner;

  /** A churn-like table whose plan is basic or pro in training. */
  @BeforeAll
  static void trainAndDeploy() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
    Random random = new Random(3);
    StringBuilder csv = new StringBuilder("age,plan,churned\n");
    for (int i = 0; i < 120; i++) {
      int age = 20 + random.nextInt(50);
      String plan = random.nextBoolean() ? "basic" : "pro";
      csv.append(String.format(Locale.ROOT, "%d,%s,%s%n", age, plan, age > 45 ? "yes" : "no"));
    }
    String datasetId = upload("churn", csv.toString());
    Api.Response submitted = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", datasetId)
        .put("model", "churn").put("task", "classification").put("label", "churned").put("architecture", "linear")
        .put("seed", 5).put("hyperparameters", new JsonObject().put("epochs", 2)));
    assertEquals(202, submitted.status(), submitted.toString());
    JsonObject job = Eventually.until(() -> owner.get("/v1/training-jobs/" + submitted.json().getString("id")).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(120));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    Api.Response deployed = owner.post("/v1/models/churn/deployment", new JsonObject().put("version", 1));
    assertEquals(200, deployed.status(), deployed.toString());
  }

  private static String upload(String name, String csv) {
    Api.Response uploaded = owner.postBytes("/v1/datasets?name=" + name + "&format=csv", "text/csv",
        csv.getBytes(StandardCharsets.UTF_8));
    assertEquals(201, uploaded.status(), uploaded.toString());
    return uploaded.json().getString("id");
  }

  /**
   * Verifies that a v1 prediction from an unseen category is answered with a warning naming the
   * instance, the column and the value, for object and positional rows, while the known rows of
   * the same request carry none.
   */
  @Test
  void v1PredictionsNameTheUnseenCategory() {
    Api.Response answer = owner.post("/v1/models/churn/predict", new JsonObject().put("instances", new JsonArray()
        .add(new JsonObject().put("age", 30).put("plan", "enterprise"))
        .add(new JsonObject().put("age", 30).put("plan", "pro"))
        .add(new JsonArray().add(50).add("enterprise"))));

    assertEquals(200, answer.status(), answer.toString());
    JsonArray predictions = answer.json().getJsonArray("predictions");
    assertEquals(3, predictions.size());
    assertEquals(List.of(UNSEEN), predictions.getJsonObject(0).getJsonArray("warnings").getList());
    assertTrue(predictions.getJsonObject(0).containsKey("label"), "the prediction is still made");
    assertFalse(predictions.getJsonObject(1).containsKey("warnings"), predictions.encode());
    assertEquals(List.of("instances[2][1] (plan): 'enterprise' was not seen in training"),
        predictions.getJsonObject(2).getJsonArray("warnings").getList());
  }

  /**
   * Verifies that a V2 answer lists the warnings in its response-level parameters, and has no
   * parameters when every value was seen.
   */
  @Test
  void v2AnswersCarryTheWarningsInParameters() {
    Api.Response answer = owner.post("/v2/models/churn/infer", new JsonObject().put("inputs", new JsonArray()
        .add(new JsonObject().put("name", "age").put("shape", new JsonArray().add(2)).put("datatype", "FP64")
            .put("data", new JsonArray().add(30).add(60)))
        .add(new JsonObject().put("name", "plan").put("shape", new JsonArray().add(2)).put("datatype", "BYTES")
            .put("data", new JsonArray().add("enterprise").add("basic")))));

    assertEquals(200, answer.status(), answer.toString());
    assertEquals(List.of(UNSEEN), answer.json().getJsonObject("parameters").getJsonArray("warnings").getList());
    assertEquals(2, answer.json().getJsonArray("outputs").getJsonObject(0).getJsonArray("data").size());

    Api.Response known = owner.post("/v2/models/churn/infer", new JsonObject().put("inputs", new JsonArray()
        .add(new JsonObject().put("name", "age").put("shape", new JsonArray().add(1)).put("datatype", "FP64")
            .put("data", new JsonArray().add(30)))
        .add(new JsonObject().put("name", "plan").put("shape", new JsonArray().add(1)).put("datatype", "BYTES")
            .put("data", new JsonArray().add("basic")))));
    assertEquals(200, known.status(), known.toString());
    assertNull(known.json().getValue("parameters"), known.toString());
  }

  /** Verifies that a batch prediction's CSV has a warnings column, filled only for rows with an unseen category. */
  @Test
  void batchPredictionsHaveAWarningsColumn() {
    String datasetId = upload("churn-new", "age,plan,churned\n30,pro,no\n61,enterprise,yes\n");
    Api.Response submitted = owner.post("/v1/batch-predictions", new JsonObject().put("model", "churn")
        .put("dataset_id", datasetId));
    assertEquals(202, submitted.status(), submitted.toString());
    String id = submitted.json().getString("id");
    JsonObject job = Eventually.until(() -> owner.get("/v1/batch-predictions/" + id).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(60));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());

    String[] lines = owner.get("/v1/batch-predictions/" + id + "/result").body().split("\r\n");

    assertEquals("row,prediction,probability_no,probability_yes,warnings", lines[0]);
    assertTrue(lines[1].startsWith("1,") && lines[1].endsWith(","), lines[1]);
    assertTrue(lines[2].startsWith("2,") && lines[2].endsWith(",plan: 'enterprise' was not seen in training"), lines[2]);
  }
}

package dev.aiaas.gateway.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The V2 tensor conventions: what becomes which v1 instance, and which tensors are refused, naming the field. */
class InferenceProtocolTest {

  private static Deployment tabular(String task, List<String> labels) {
    return new Deployment(UUID.randomUUID(), "churn", UUID.randomUUID(), 3, Optional.empty(), Deployment.Batching.DEFAULTS,
        Instant.EPOCH, task, "mlp", labels,
        List.of(new Deployment.Feature("age", "numeric"), new Deployment.Feature("plan", "categorical")));
  }

  private static final Deployment CLASSIFIER = tabular("classification", List.of("no", "yes"));

  private static final Deployment IMAGES = new Deployment(UUID.randomUUID(), "shapes", UUID.randomUUID(), 1, Optional.empty(),
      Deployment.Batching.DEFAULTS, Instant.EPOCH, "classification", "cnn", List.of("circle", "square"), List.of());

  private static JsonObject tensor(String name, String datatype, JsonArray shape, JsonArray data) {
    return new JsonObject().put("name", name).put("datatype", datatype).put("shape", shape).put("data", data);
  }

  private static JsonObject request(JsonObject... inputs) {
    JsonArray all = new JsonArray();
    for (JsonObject input : inputs) {
      all.add(input);
    }
    return new JsonObject().put("inputs", all);
  }

  private static String refusedField(Deployment d, JsonObject request) {
    ApiException e = assertThrows(ApiException.class, () -> InferenceProtocol.instances(d, request));
    assertEquals(400, e.status());
    return e.extensions().getJsonArray("errors").getJsonObject(0).getString("field");
  }

  /** Verifies that column tensors become objects and a matrix (flat or nested) becomes positional rows. */
  @Test
  void columnsBecomeObjectsAndMatricesBecomeRows() {
    JsonArray fromColumns = InferenceProtocol.instances(CLASSIFIER, request(
        tensor("age", "INT32", new JsonArray().add(2), new JsonArray().add(42).add(23)),
        tensor("plan", "BYTES", new JsonArray().add(2).add(1), new JsonArray().add("pro").add("free"))));
    assertEquals(new JsonArray().add(new JsonObject().put("age", 42).put("plan", "pro"))
        .add(new JsonObject().put("age", 23).put("plan", "free")), fromColumns);

    JsonArray fromNested = InferenceProtocol.instances(CLASSIFIER, request(tensor("rows", "BYTES", new JsonArray().add(2).add(2),
        new JsonArray().add(new JsonArray().add("42").add("pro")).add(new JsonArray().add("23").add("free")))));
    JsonArray fromFlat = InferenceProtocol.instances(CLASSIFIER, request(tensor("rows", "BYTES", new JsonArray().add(2).add(2),
        new JsonArray().add("42").add("pro").add("23").add("free"))));
    assertEquals(new JsonArray().add(new JsonArray().add("42").add("pro")).add(new JsonArray().add("23").add("free")), fromNested);
    assertEquals(fromNested, fromFlat);
  }

  /** Verifies that an image tensor's elements become base64 instances. */
  @Test
  void imageBytesBecomeBase64Instances() {
    JsonArray instances = InferenceProtocol.instances(IMAGES, request(tensor("image", "BYTES", new JsonArray().add(2),
        new JsonArray().add("aGk=").add("aG8="))));
    assertEquals(new JsonArray().add(new JsonObject().put("b64", "aGk=")).add(new JsonObject().put("b64", "aG8=")), instances);
    assertEquals("inputs[0]", refusedField(IMAGES, request(tensor("image", "FP32", new JsonArray().add(1), new JsonArray().add(1.0)))));
  }

  /** Verifies that shapes, element counts, datatypes and names that do not fit are refused, naming the field. */
  @Test
  void misfitsAreRefusedNamingTheField() {
    assertEquals("inputs[0].data", refusedField(CLASSIFIER, request(
        tensor("rows", "FP32", new JsonArray().add(2).add(2), new JsonArray().add(1).add(2).add(3)))));
    assertEquals("inputs[0].shape", refusedField(CLASSIFIER, request(
        tensor("rows", "FP32", new JsonArray().add(1).add(3), new JsonArray().add(1).add(2).add(3)))));
    assertEquals("inputs[0].shape", refusedField(CLASSIFIER, request(
        tensor("rows", "FP32", new JsonArray().add(-1).add(2), new JsonArray()))));
    assertEquals("inputs[0].data", refusedField(CLASSIFIER, request(
        tensor("age", "FP32", new JsonArray().add(1), new JsonArray().add("old")),
        tensor("plan", "BYTES", new JsonArray().add(1), new JsonArray().add("pro")))));
    assertEquals("inputs[1].name", refusedField(CLASSIFIER, request(
        tensor("age", "FP32", new JsonArray().add(1), new JsonArray().add(1)),
        tensor("age2", "FP32", new JsonArray().add(1), new JsonArray().add(1)))));
    assertEquals("inputs[1].shape", refusedField(CLASSIFIER, request(
        tensor("age", "FP32", new JsonArray().add(1), new JsonArray().add(1)),
        tensor("plan", "BYTES", new JsonArray().add(2), new JsonArray().add("a").add("b")))));
    assertEquals("inputs", refusedField(CLASSIFIER, request(tensor("age", "FP32", new JsonArray().add(1), new JsonArray().add(1)))));
    assertEquals("outputs[0].name", refusedField(CLASSIFIER, request(tensor("rows", "FP32", new JsonArray().add(1).add(2),
        new JsonArray().add(1).add(2))).put("outputs", new JsonArray().add(new JsonObject().put("name", "value")))));
  }

  /** Verifies the response tensors: labels and class probabilities in label order, and the request id echoed. */
  @Test
  void responseCarriesLabelsProbabilitiesAndTheId() {
    JsonArray predictions = new JsonArray()
        .add(new JsonObject().put("label", "yes").put("probabilities", new JsonObject().put("no", 0.25).put("yes", 0.75)));
    JsonObject response = InferenceProtocol.response(CLASSIFIER, new PredictionClient.Answer(predictions, 3),
        new JsonObject().put("id", "r-1"));
    assertEquals("churn", response.getString("model_name"));
    assertEquals("3", response.getString("model_version"));
    assertEquals("r-1", response.getString("id"));
    JsonObject probabilities = response.getJsonArray("outputs").getJsonObject(1);
    assertEquals(new JsonArray().add(1).add(2), probabilities.getJsonArray("shape"));
    assertEquals(new JsonArray().add(0.25).add(0.75), probabilities.getJsonArray("data"));

    JsonObject value = InferenceProtocol.response(tabular("regression", List.of()),
        new PredictionClient.Answer(new JsonArray().add(new JsonObject().put("value", 1.5)), 3), new JsonObject());
    assertEquals("value", value.getJsonArray("outputs").getJsonObject(0).getString("name"));
    assertTrue(InferenceProtocol.metadata(CLASSIFIER).getJsonArray("inputs").getJsonObject(1).getString("datatype").equals("BYTES"));
  }

  /**
   * Verifies that the warnings of v1 predictions (values unseen in training) become the V2
   * response's parameters.warnings, in row order, and that without any there are no parameters.
   */
  @Test
  void predictionWarningsBecomeResponseParameters() {
    JsonObject unseen = new JsonObject().put("label", "no").put("probabilities", new JsonObject().put("no", 0.6).put("yes", 0.4));
    JsonArray predictions = new JsonArray()
        .add(unseen.copy().put("warnings", new JsonArray().add("instances[0].plan: 'enterprise' was not seen in training")))
        .add(unseen.copy())
        .add(unseen.copy().put("warnings", new JsonArray().add("instances[2].plan: 'gold' was not seen in training")));

    JsonObject response = InferenceProtocol.response(CLASSIFIER, new PredictionClient.Answer(predictions, 3), new JsonObject());

    assertEquals(List.of("instances[0].plan: 'enterprise' was not seen in training",
        "instances[2].plan: 'gold' was not seen in training"), response.getJsonObject("parameters").getJsonArray("warnings").getList());
    JsonObject clean = InferenceProtocol.response(CLASSIFIER,
        new PredictionClient.Answer(new JsonArray().add(unseen.copy()), 3), new JsonObject());
    assertFalse(clean.containsKey("parameters"), clean.encode());
  }
}

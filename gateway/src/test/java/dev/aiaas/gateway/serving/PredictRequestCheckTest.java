package dev.aiaas.gateway.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.http.ApiContract;
import dev.aiaas.gateway.http.ApiRouter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dedicated predict check against the contract's own validator: it may pass a request only if
 * the validator accepts it, and it should pass the requests clients send, or it saves nothing.
 */
class PredictRequestCheckTest {

  private static Vertx vertx;
  private static RequestValidator validator;

  @BeforeAll
  static void contract() throws Exception {
    vertx = Vertx.vertx();
    try (InputStream yaml = PredictRequestCheckTest.class.getClassLoader().getResourceAsStream(ApiRouter.CONTRACT)) {
      ApiContract contract = ApiContract.load(vertx, Buffer.buffer(yaml.readAllBytes())).await();
      validator = RequestValidator.create(vertx, contract.resolved());
    }
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private record Case(String what, String name, String contentType, String body) {}

  private static boolean contractAccepts(Case c) {
    return contractAccepts(c, "predict");
  }

  private static boolean contractAccepts(Case c, String operationId) {
    Map<String, RequestParameter> path = Map.of("name", new RequestParameterImpl(c.name()));
    try {
      validator.validate(new ValidatableRequestImpl(Map.of(), Map.of(), path, Map.of(),
          new RequestParameterImpl(Buffer.buffer(c.body())), c.contentType()), operationId).await();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean checkPasses(Case c) {
    Buffer body = Buffer.buffer(c.body());
    return PredictRequestCheck.certainlyValid(c.name(), c.contentType(), body, () -> new JsonObject(body));
  }

  private static String instances(Object... items) {
    JsonArray array = new JsonArray();
    for (Object item : items) {
      array.add(item);
    }
    return new JsonObject().put("instances", array).encode();
  }

  /** Verifies that the requests clients send pass the check, as the contract accepts them. */
  @Test
  void validRequestsPass() {
    JsonObject row = new JsonObject().put("x1", 1.5).put("c", "a").put("n", (Object) null);
    JsonArray positional = new JsonArray().add(1.5).add("a").addNull();
    JsonArray many = new JsonArray();
    for (int i = 0; i < PredictRequestCheck.MAX_INSTANCES; i++) {
      many.add(i % 2 == 0 ? row : positional);
    }
    List<Case> valid = List.of(
        new Case("one object", "churn", "application/json", instances(row)),
        new Case("positional and nested values", "churn-2_b", "application/json; charset=utf-8",
            instances(positional, new JsonObject().put("b64", "AAAA").put("deep", new JsonObject().put("a", new JsonArray())))),
        new Case("empty instances of either shape", "m", "application/json", instances(new JsonObject(), new JsonArray())),
        new Case("the largest request", "churn", "application/json", new JsonObject().put("instances", many).encode()),
        new Case("leading whitespace", "churn", "application/json", " \n\t" + instances(row)));
    for (Case c : valid) {
      assertEquals(true, contractAccepts(c), c.what() + ": the contract accepts it");
      assertEquals(true, checkPasses(c), c.what() + ": the check passes it");
    }
  }

  /** Verifies that nothing the contract refuses passes the check, so its 400 still comes from the validator. */
  @Test
  void nothingTheContractRefusesPasses() {
    JsonObject row = new JsonObject().put("x1", 1.5);
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= PredictRequestCheck.MAX_INSTANCES; i++) {
      tooMany.add(row);
    }
    List<Case> invalid = new ArrayList<>(List.of(
        new Case("no instances", "churn", "application/json", "{}"),
        new Case("empty instances", "churn", "application/json", instances()),
        new Case("an unknown field", "churn", "application/json", new JsonObject(instances(row)).put("model", "x").encode()),
        new Case("instances not an array", "churn", "application/json", new JsonObject().put("instances", row).encode()),
        new Case("a number instance", "churn", "application/json", instances(row, 42)),
        new Case("a string instance", "churn", "application/json", instances("x1=1")),
        new Case("a null instance", "churn", "application/json", instances(row, null)),
        new Case("too many instances", "churn", "application/json", new JsonObject().put("instances", tooMany).encode()),
        new Case("a body that is an array", "churn", "application/json", new JsonArray().add(row).encode()),
        new Case("an upper-case model name", "Churn", "application/json", instances(row)),
        new Case("a model name too long", "m".repeat(64), "application/json", instances(row)),
        new Case("another media type", "churn", "text/plain", instances(row)),
        new Case("the media type in capitals", "churn", "Application/JSON", instances(row))));
    for (Case c : invalid) {
      assertEquals(false, contractAccepts(c), c.what() + ": the contract refuses it");
      assertEquals(false, checkPasses(c), c.what() + ": the check leaves it to the validator");
    }
  }

  /** Verifies that the explain check passes what clients send and nothing the explain contract refuses (steps, its limit). */
  @Test
  void explainCheckAgreesWithTheContract() {
    JsonObject row = new JsonObject().put("x1", 1.5);
    JsonArray most = new JsonArray();
    for (int i = 0; i < PredictRequestCheck.MAX_EXPLAIN_INSTANCES; i++) {
      most.add(row);
    }
    JsonArray tooMany = most.copy().add(row);
    List<Case> valid = List.of(
        new Case("instances only", "churn", "application/json", instances(row)),
        new Case("with steps", "churn", "application/json", new JsonObject(instances(row)).put("steps", 10).encode()),
        new Case("the most steps", "churn", "application/json", new JsonObject(instances(row)).put("steps", 300).encode()),
        new Case("the largest request", "churn", "application/json", new JsonObject().put("instances", most).encode()));
    List<Case> invalid = List.of(
        new Case("too few steps", "churn", "application/json", new JsonObject(instances(row)).put("steps", 9).encode()),
        new Case("too many steps", "churn", "application/json", new JsonObject(instances(row)).put("steps", 301).encode()),
        new Case("steps as text", "churn", "application/json", new JsonObject(instances(row)).put("steps", "50").encode()),
        new Case("an unknown field", "churn", "application/json", new JsonObject(instances(row)).put("model", "x").encode()),
        new Case("too many instances", "churn", "application/json", new JsonObject().put("instances", tooMany).encode()),
        new Case("a number instance", "churn", "application/json", instances(row, 42)));
    for (Case c : valid) {
      Buffer body = Buffer.buffer(c.body());
      assertEquals(true, contractAccepts(c, "explain"), c.what() + ": the contract accepts it");
      assertEquals(true, PredictRequestCheck.explainCertainlyValid(c.name(), c.contentType(), body, () -> new JsonObject(body)),
          c.what() + ": the check passes it");
    }
    for (Case c : invalid) {
      Buffer body = Buffer.buffer(c.body());
      assertEquals(false, contractAccepts(c, "explain"), c.what() + ": the contract refuses it");
      assertEquals(false, PredictRequestCheck.explainCertainlyValid(c.name(), c.contentType(), body, () -> new JsonObject(body)),
          c.what() + ": the check leaves it to the validator");
    }
  }
}

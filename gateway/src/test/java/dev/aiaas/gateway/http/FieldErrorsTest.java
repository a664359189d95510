package dev.aiaas.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The words of validation errors, derived from the served contract's schemas. */
class FieldErrorsTest {

  private static SchemaWording wording;

  @BeforeAll
  static void contract() throws IOException {
    try (InputStream yaml = FieldErrorsTest.class.getClassLoader().getResourceAsStream(ApiRouter.CONTRACT)) {
      wording = new SchemaWording(ContractLoader.parse(Buffer.buffer(yaml.readAllBytes())));
    }
  }

  private static Map<String, String> errors(String schema, Object value) {
    FieldErrors errors = new FieldErrors(wording);
    errors.check("", value, new JsonObject().put("$ref", "#/components/schemas/" + schema));
    return errors.toJson().stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(e -> e.getString("field"), e -> e.getString("message"), (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** Verifies that a pattern-checked string is explained by the schema's title and first example. */
  @Test
  void patternFieldNamesTitleAndExample() {
    assertEquals(Map.of("amount", "must be a decimal string such as \"-10.00\""),
        errors("AdjustmentRequest", new JsonObject().put("amount", "ten").put("reason", "goodwill")));
  }

  /** Verifies that each unknown field and each missing required field has exactly one entry of its own. */
  @Test
  void unknownAndMissingFieldsHaveOneEntryEach() {
    assertEquals(Map.of("reason", "required (a string of 1 to 500 characters)", "extra", "unknown field"),
        errors("AdjustmentRequest", new JsonObject().put("amount", "-1.00").put("extra", true)));
  }

  /** Verifies that an error inside a nested object, behind a oneOf with null, names the nested field and its bounds. */
  @Test
  void nestedFieldIsNamedWithItsPath() {
    Map<String, String> errors = errors("PlanCreate", new JsonObject().put("name", "gold")
        .put("rate_limit", new JsonObject().put("requests_per_second", 0).put("burst", 10)));
    assertEquals(Map.of("rate_limit.requests_per_second", "must be an integer between 1 and 1000000"), errors);
  }

  /** Verifies that enums list their values, array items are named by index, and a wrong type says the type. */
  @Test
  void enumsItemsAndTypes() {
    assertEquals(Map.of("scopes[1]", "must be one of predict, train, read, manage", "name", "must be a string of 1 to 100 characters"),
        errors("KeyRequest", new JsonObject().put("name", 7).put("scopes", new JsonArray().add("read").add("root"))));
  }

  /** Verifies that duplicates in a set-like array and a malformed timestamp are explained, not left to the library. */
  @Test
  void uniqueItemsAndFormats() {
    assertEquals(Map.of("scopes", "must be an array of at least 1 item without duplicates", "expires_at", "must be an ISO-8601 timestamp"),
        errors("KeyRequest", new JsonObject().put("name", "ci").put("scopes", new JsonArray().add("read").add("read"))
            .put("expires_at", "tomorrow")));
  }

  /** Verifies that a body of the wrong JSON type is named "body". */
  @Test
  void wrongBodyTypeIsNamedBody() {
    assertEquals(Map.of("body", "must be an object"), errors("KeyRequest", new JsonArray()));
  }
}

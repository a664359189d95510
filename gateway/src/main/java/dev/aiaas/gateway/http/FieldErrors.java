package dev.aiaas.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Explains why a value does not match its schema: one message per offending field, in the
 * project's words ({@code amount: must be a decimal string such as "-10.00"}, {@code extra:
 * unknown field}, {@code period: required (YYYY-MM)}). The contract's validator decides whether
 * a request is valid; this finds the offending fields and words the answer for the client.
 */
final class FieldErrors {

  private final SchemaWording wording;
  /** Field -> message; the first message for a field wins, in document order. */
  private final Map<String, String> errors = new LinkedHashMap<>();

  FieldErrors(SchemaWording wording) {
    this.wording = wording;
  }

  /** Records that a required value is missing. */
  void missing(String field, JsonObject schema) {
    errors.putIfAbsent(field, "required (" + wording.hint(schema) + ")");
  }

  /** Records a message for a field (for what the schema walk cannot see, e.g. an unparsable parameter). */
  void add(String field, String message) {
    errors.putIfAbsent(field, message);
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** {@code [{"field", "message"}]}, the {@code errors} member of a validation problem. */
  JsonArray toJson() {
    JsonArray out = new JsonArray();
    // The body itself (not one of its fields) is named "body".
    errors.forEach((field, message) -> out.add(new JsonObject().put("field", field.isEmpty() ? "body" : field).put("message", message)));
    return out;
  }

  /** Checks {@code value} (a decoded JSON value) against {@code schema}; records what is wrong at or below {@code field}. */
  void check(String field, Object value, JsonObject schema) {
    if (!valid(field, value, wording.resolve(schema), true)) {
      errors.putIfAbsent(field, "must be " + wording.expected(schema));
    }
  }

  /**
   * Whether {@code value} matches {@code s}. With {@code record}, errors below this value (in its
   * fields or items) are recorded here and the value itself counts as valid, so each offending
   * field is named once, at the deepest place it can be.
   */
  private boolean valid(String field, Object value, JsonObject s, boolean record) {
    for (Object part : s.getJsonArray("allOf", new JsonArray())) {
      if (!valid(field, value, wording.resolve((JsonObject) part), record)) {
        return false;
      }
    }
    for (String combinator : List.of("oneOf", "anyOf")) {
      JsonArray alternatives = s.getJsonArray(combinator);
      if (alternatives != null && alternatives.stream().noneMatch(a -> valid(field, value, wording.resolve((JsonObject) a), false))) {
        // When the value's type picks one alternative (null or an object), explain inside it.
        List<JsonObject> sameType = alternatives.stream().map(a -> wording.resolve((JsonObject) a))
            .filter(a -> typeMatches(value, SchemaWording.types(a))).toList();
        return record && sameType.size() == 1 && valid(field, value, sameType.get(0), true);
      }
    }
    if (!typeMatches(value, SchemaWording.types(s))) {
      return false;
    }
    if (s.getJsonArray("enum") != null && s.getJsonArray("enum").stream().noneMatch(allowed -> same(allowed, value))) {
      return false;
    }
    if (s.containsKey("const") && !same(s.getValue("const"), value)) {
      return false;
    }
    if (value instanceof String text) {
      return text.codePointCount(0, text.length()) >= s.getInteger("minLength", 0)
          && text.codePointCount(0, text.length()) <= s.getInteger("maxLength", Integer.MAX_VALUE)
          && (!s.containsKey("pattern") || Pattern.compile(s.getString("pattern")).matcher(text).find())
          && formatHolds(s.getString("format", ""), text);
    }
    if (value instanceof Number number) {
      return inRange(new BigDecimal(number.toString()), s);
    }
    if (value instanceof JsonArray array) {
      if (array.size() < s.getInteger("minItems", 0) || array.size() > s.getInteger("maxItems", Integer.MAX_VALUE)
          || s.getBoolean("uniqueItems", false) && array.stream().distinct().count() < array.size()) {
        return false;
      }
      return items(field, array, s, record);
    }
    if (value instanceof JsonObject object) {
      if (object.size() < s.getInteger("minProperties", 0) || object.size() > s.getInteger("maxProperties", Integer.MAX_VALUE)) {
        return false;
      }
      return properties(field, object, s, record);
    }
    return true;
  }

  private boolean items(String field, JsonArray array, JsonObject s, boolean record) {
    JsonObject items = s.getJsonObject("items");
    if (items == null) {
      return true;
    }
    for (int i = 0; i < array.size(); i++) {
      String at = field + "[" + i + "]";
      JsonObject schema = wording.resolve(items);
      if (!valid(at, array.getValue(i), schema, record)) {
        if (!record) {
          return false;
        }
        errors.putIfAbsent(at, "must be " + wording.expected(items));
      }
    }
    return true;
  }

  private boolean properties(String field, JsonObject object, JsonObject s, boolean record) {
    JsonObject declared = s.getJsonObject("properties", new JsonObject());
    for (Object name : s.getJsonArray("required", new JsonArray())) {
      if (!object.containsKey((String) name)) {
        if (!record) {
          return false;
        }
        missing(child(field, (String) name), declared.getJsonObject((String) name, new JsonObject()));
      }
    }
    Object additional = s.getValue("additionalProperties");
    for (String name : object.fieldNames()) {
      JsonObject schema = declared.getJsonObject(name);
      if (schema == null && Boolean.FALSE.equals(additional)) {
        if (!record) {
          return false;
        }
        add(child(field, name), "unknown field");
        continue;
      }
      if (schema == null && additional instanceof JsonObject extra) {
        schema = extra;
      }
      if (schema != null && !valid(child(field, name), object.getValue(name), wording.resolve(schema), record)) {
        if (!record) {
          return false;
        }
        errors.putIfAbsent(child(field, name), "must be " + wording.expected(schema));
      }
    }
    return true;
  }

  /** The formats the contract uses; others are not checked here. */
  private static boolean formatHolds(String format, String text) {
    try {
      switch (format) {
        case "date-time" -> java.time.OffsetDateTime.parse(text);
        case "date" -> java.time.LocalDate.parse(text);
        case "uuid" -> java.util.UUID.fromString(text);
        default -> {
          return true;
        }
      }
      return true;
    } catch (RuntimeException malformed) {
      return false;
    }
  }

  /** JSON equality: 2 and 2.0 are the same number whatever Java type decoded them. */
  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    }
    return Objects.equals(a, b);
  }

  private static String child(String field, String name) {
    return field.isEmpty() ? name : field + "." + name;
  }

  private static boolean typeMatches(Object value, List<String> types) {
    if (types.isEmpty()) {
      return true;
    }
    for (String type : types) {
      boolean matches = switch (type) {
        case "null" -> value == null;
        case "string" -> value instanceof String;
        case "boolean" -> value instanceof Boolean;
        case "object" -> value instanceof JsonObject;
        case "array" -> value instanceof JsonArray;
        case "number" -> value instanceof Number;
        // JSON Schema: 2.0 is an integer, 2.5 is not.
        case "integer" -> value instanceof Number n && new BigDecimal(n.toString()).stripTrailingZeros().scale() <= 0;
        default -> true;
      };
      if (matches) {
        return true;
      }
    }
    return false;
  }

  private static boolean inRange(BigDecimal value, JsonObject s) {
    return below(s.getValue("minimum"), value, true) && below(value, s.getValue("maximum"), true)
        && below(s.getValue("exclusiveMinimum"), value, false) && below(value, s.getValue("exclusiveMaximum"), false);
  }

  /** {@code low <= high} (or {@code <} when not {@code inclusive}); a missing bound always holds. */
  private static boolean below(Object low, Object high, boolean inclusive) {
    if (!(low instanceof Number) || !(high instanceof Number)) {
      return true;
    }
    int order = new BigDecimal(low.toString()).compareTo(new BigDecimal(high.toString()));
    return inclusive ? order <= 0 : order < 0;
  }
}

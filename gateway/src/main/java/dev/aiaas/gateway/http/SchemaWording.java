package dev.aiaas.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Says in words what a JSON schema of the contract expects ("an integer between 1 and 1000",
 * "a decimal string such as \"-10.00\"", "one of csv, images"). A schema's {@code title} is its
 * short name, used as is; otherwise the words come from its type, format, pattern, enum and
 * bounds; the first example is quoted after "such as".
 */
final class SchemaWording {

  private final JsonObject contract;

  SchemaWording(JsonObject contract) {
    this.contract = contract;
  }

  /** The schema with its local {@code $ref}s followed ({@code #/components/...}). */
  JsonObject resolve(JsonObject schema) {
    JsonObject current = schema;
    for (int hops = 0; current != null && current.containsKey("$ref") && hops < 16; hops++) {
      String ref = current.getString("$ref");
      if (!ref.startsWith("#/")) {
        return current;
      }
      Object target = contract;
      for (String part : ref.substring(2).split("/")) {
        target = target instanceof JsonObject json ? json.getValue(part.replace("~1", "/").replace("~0", "~")) : null;
      }
      current = target instanceof JsonObject json ? json : null;
    }
    return current == null ? new JsonObject() : current;
  }

  /** What a value of {@code schema} must be, e.g. "an integer between 1 and 1000". */
  String expected(JsonObject schema) {
    JsonObject s = resolve(schema);
    String words = s.containsKey("title") ? s.getString("title") : untitled(s);
    String example = example(s);
    if (example != null) {
      words += " such as " + example;
    }
    return types(s).contains("null") && !words.endsWith("or null") ? words + " or null" : words;
  }

  /** The short hint after "required": the title, else the expectation. */
  String hint(JsonObject schema) {
    JsonObject s = resolve(schema);
    return s.containsKey("title") ? s.getString("title") : expected(s);
  }

  private String untitled(JsonObject s) {
    if (s.getJsonArray("enum") != null) {
      return "one of " + s.getJsonArray("enum").stream().map(v -> v == null ? "null" : v.toString()).collect(Collectors.joining(", "));
    }
    if (s.containsKey("const")) {
      return quoted(s.getValue("const"));
    }
    if (s.getJsonArray("oneOf") != null || s.getJsonArray("anyOf") != null) {
      JsonArray alternatives = s.getJsonArray("oneOf") != null ? s.getJsonArray("oneOf") : s.getJsonArray("anyOf");
      return alternatives.stream().map(a -> expected((JsonObject) a)).collect(Collectors.joining(" or "));
    }
    List<String> types = new ArrayList<>(types(s));
    types.remove("null");
    if (types.size() != 1) {
      return types.isEmpty() ? "a valid value" : types.stream().map(SchemaWording::article).collect(Collectors.joining(" or "));
    }
    return switch (types.get(0)) {
      case "integer" -> "an integer" + range(s);
      case "number" -> "a number" + range(s);
      case "boolean" -> "true or false";
      case "array" -> "an array" + count(s.getInteger("minItems"), s.getInteger("maxItems"), "item")
          + (s.getBoolean("uniqueItems", false) ? " without duplicates" : "");
      case "object" -> "an object" + (s.getInteger("minProperties", 0) > 0 ? " with at least " + s.getInteger("minProperties") + " field"
          + (s.getInteger("minProperties") == 1 ? "" : "s") : "");
      default -> string(s);
    };
  }

  private static String string(JsonObject s) {
    String format = s.getString("format", "");
    return switch (format) {
      case "date-time" -> "an ISO-8601 timestamp";
      case "date" -> "a date (YYYY-MM-DD)";
      case "uuid" -> "a UUID";
      case "email" -> "an email address";
      case "uri" -> "a URI";
      default -> s.containsKey("pattern") ? "a string matching " + s.getString("pattern")
          : "a string" + count(s.getInteger("minLength"), s.getInteger("maxLength"), "character");
    };
  }

  /** The JSON types a schema allows ({@code type: [string, "null"]} is two). */
  static List<String> types(JsonObject s) {
    Object type = s.getValue("type");
    if (type instanceof String one) {
      return List.of(one);
    }
    if (type instanceof JsonArray many) {
      return many.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static String article(String type) {
    return switch (type) {
      case "integer", "array", "object" -> "an " + type;
      case "boolean" -> "true or false";
      default -> "a " + type;
    };
  }

  private static String range(JsonObject s) {
    String min = number(s.getValue("minimum"));
    String max = number(s.getValue("maximum"));
    String exclusiveMin = number(s.getValue("exclusiveMinimum"));
    String exclusiveMax = number(s.getValue("exclusiveMaximum"));
    List<String> parts = new ArrayList<>();
    if (min != null && max != null) {
      parts.add("between " + min + " and " + max);
    } else if (min != null) {
      parts.add("of at least " + min);
    } else if (max != null) {
      parts.add("of at most " + max);
    }
    if (exclusiveMin != null) {
      parts.add("greater than " + exclusiveMin);
    }
    if (exclusiveMax != null) {
      parts.add((parts.isEmpty() ? "" : "and ") + "less than " + exclusiveMax);
    }
    return parts.isEmpty() ? "" : " " + String.join(" ", parts);
  }

  private static String count(Integer min, Integer max, String unit) {
    if (min != null && max != null) {
      return " of " + min + " to " + max + " " + unit + "s";
    }
    if (min != null) {
      return " of at least " + min + " " + unit + (min == 1 ? "" : "s");
    }
    if (max != null) {
      return " of at most " + max + " " + unit + (max == 1 ? "" : "s");
    }
    return "";
  }

  private static String number(Object value) {
    return value instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString() : null;
  }

  /** The first example, as JSON ("\"-10.00\"", 42), or null. */
  private static String example(JsonObject s) {
    JsonArray examples = s.getJsonArray("examples");
    Object first = examples != null && !examples.isEmpty() ? examples.getValue(0) : s.getValue("example");
    // A whole object or array as an example would drown the message.
    return first == null || first instanceof JsonObject || first instanceof JsonArray ? null : quoted(first);
  }

  private static String quoted(Object value) {
    return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
  }
}

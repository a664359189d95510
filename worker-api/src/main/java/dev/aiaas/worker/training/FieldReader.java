package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed, range-checked fields of one JSON object, recording a {@link FieldError} for each bad
 * one instead of stopping at the first. JSON {@code null} counts as absent (the default applies).
 */
final class FieldReader {

  private final JsonObject json;
  private final String prefix;
  private final List<FieldError> errors;

  FieldReader(JsonObject json, String prefix, List<FieldError> errors) {
    this.json = json == null ? new JsonObject() : json;
    this.prefix = prefix;
    this.errors = errors;
  }

  String field(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  boolean has(String key) {
    return json.getValue(key) != null;
  }

  Object raw(String key) {
    return json.getValue(key);
  }

  void rejectUnknown(Set<String> known) {
    for (String key : new TreeSet<>(json.fieldNames())) {
      if (!known.contains(key)) {
        error(
            field(key),
            "is not a known field; known fields are " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /** The integer in [min, max], the default when absent, or null after recording an error. */
  Integer integer(String key, int min, int max, Integer defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    return checkInteger(field(key), value, min, max);
  }

  Integer checkInteger(String field, Object value, int min, int max) {
    Long whole = asLong(value);
    if (whole == null) {
      error(field, "must be an integer");
      return null;
    }
    if (whole < min || whole > max) {
      error(field, "must be between " + min + " and " + max);
      return null;
    }
    return whole.intValue();
  }

  /** Any integer that fits a long, the default when absent, or null after recording an error. */
  Long longInteger(String key, long defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    Long whole = asLong(value);
    if (whole == null) {
      error(field(key), "must be an integer");
    }
    return whole;
  }

  /**
   * The number in [min, max] (or (min, max] when {@code minExclusive}), the default when absent, or
   * null after recording an error.
   */
  Double number(String key, double min, boolean minExclusive, double max, Double defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
      error(field(key), "must be a number");
      return null;
    }
    double d = number.doubleValue();
    boolean aboveMin = minExclusive ? d > min : d >= min;
    if (!aboveMin || d > max) {
      error(
          field(key),
          minExclusive
              ? "must be greater than " + format(min) + " and at most " + format(max)
              : "must be between " + format(min) + " and " + format(max));
      return null;
    }
    return d;
  }

  /** A non-blank string, the default when absent, or null after recording an error. */
  String string(String key, String defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      if (defaultValue == null) {
        error(field(key), "is required");
      }
      return defaultValue;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      error(field(key), "must be a non-empty string");
      return null;
    }
    return text;
  }

  /** One of {@code allowed}, the default when absent, or null after recording an error. */
  String choice(String key, List<String> allowed, String defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      if (defaultValue == null) {
        error(field(key), "is required; one of " + String.join(", ", allowed));
      }
      return defaultValue;
    }
    if (!(value instanceof String text) || !allowed.contains(text)) {
      error(field(key), "must be one of " + String.join(", ", allowed));
      return null;
    }
    return text;
  }

  /** An integral JSON number as a long (20 and 20.0 alike), or null when it is not one. */
  static Long asLong(Object value) {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? big.longValue() : null;
    }
    if (value instanceof BigDecimal decimal) {
      try {
        return decimal.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
        return (long) d;
      }
    }
    return null;
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}

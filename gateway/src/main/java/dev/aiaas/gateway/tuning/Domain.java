package dev.aiaas.gateway.tuning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The values one hyperparameter may take in a search: a range to sample or a list to choose from. */
sealed interface Domain {

  /** Grid points taken from a continuous range. */
  int GRID_POINTS = 3;
  /** An integer range with more values than this is gridded at {@link #GRID_POINTS} evenly spaced ones. */
  int MAX_INT_GRID = 10;
  int MAX_CHOICES = 50;

  /** One value drawn from {@code random}. */
  Object sample(SplittableRandom random);

  /** The values a grid search tries, in order. */
  List<Object> grid();

  /** The values validated against the training spec: the ends of a range, every choice. */
  List<Object> extremes();

  JsonObject toJson();

  /** {@code {"log_uniform": [a, b]}}: a and b positive, a < b; sampled uniformly on the log scale. */
  record LogUniform(double low, double high) implements Domain {
    public Object sample(SplittableRandom random) {
      return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
    }

    public List<Object> grid() {
      List<Object> points = new ArrayList<>();
      for (int i = 0; i < GRID_POINTS; i++) {
        points.add(Math.exp(Math.log(low) + i * (Math.log(high) - Math.log(low)) / (GRID_POINTS - 1)));
      }
      return points;
    }

    public List<Object> extremes() {
      return List.of(low, high);
    }

    public JsonObject toJson() {
      return new JsonObject().put("log_uniform", new JsonArray().add(low).add(high));
    }
  }

  /** {@code {"uniform": [a, b]}}, a < b. */
  record Uniform(double low, double high) implements Domain {
    public Object sample(SplittableRandom random) {
      return low + random.nextDouble() * (high - low);
    }

    public List<Object> grid() {
      List<Object> points = new ArrayList<>();
      for (int i = 0; i < GRID_POINTS; i++) {
        points.add(low + i * (high - low) / (GRID_POINTS - 1));
      }
      return points;
    }

    public List<Object> extremes() {
      return List.of(low, high);
    }

    public JsonObject toJson() {
      return new JsonObject().put("uniform", new JsonArray().add(low).add(high));
    }
  }

  /** {@code {"int": [a, b]}}: every integer from a to b, both included. */
  record IntRange(long low, long high) implements Domain {
    public Object sample(SplittableRandom random) {
      return low + (long) (random.nextDouble() * (high - low + 1));
    }

    public List<Object> grid() {
      List<Object> points = new ArrayList<>();
      if (high - low + 1 <= MAX_INT_GRID) {
        for (long v = low; v <= high; v++) {
          points.add(v);
        }
        return points;
      }
      for (int i = 0; i < GRID_POINTS; i++) {
        points.add(low + Math.round(i * (high - low) / (double) (GRID_POINTS - 1)));
      }
      return points;
    }

    public List<Object> extremes() {
      return List.of(low, high);
    }

    public JsonObject toJson() {
      return new JsonObject().put("int", new JsonArray().add(low).add(high));
    }
  }

  /** {@code {"choice": [v1, v2, ...]}}: any JSON values (a list of layer sizes for {@code hidden_units}). */
  record Choice(List<Object> values) implements Domain {
    public Object sample(SplittableRandom random) {
      return values.get(random.nextInt(values.size()));
    }

    public List<Object> grid() {
      return values;
    }

    public List<Object> extremes() {
      return values;
    }

    public JsonObject toJson() {
      return new JsonObject().put("choice", new JsonArray(new ArrayList<>(values)));
    }
  }

  /** Reads one domain; the message says what is wrong, or null when it is fine. */
  static Object parse(Object raw) {
    if (!(raw instanceof JsonObject spec) || spec.size() != 1) {
      return "must be one of {\"log_uniform\": [a, b]}, {\"uniform\": [a, b]}, {\"int\": [a, b]}, {\"choice\": [...]}";
    }
    String kind = spec.fieldNames().iterator().next();
    Object value = spec.getValue(kind);
    if (!(value instanceof JsonArray array)) {
      return kind + " takes an array";
    }
    switch (kind) {
      case "choice" -> {
        if (array.isEmpty() || array.size() > MAX_CHOICES) {
          return "choice takes 1 to " + MAX_CHOICES + " values";
        }
        if (array.getList().contains(null)) {
          return "choice values must not be null";
        }
        List<Object> values = new ArrayList<>();
        array.forEach(values::add);
        return new Choice(values);
      }
      case "log_uniform", "uniform" -> {
        if (array.size() != 2 || !(array.getValue(0) instanceof Number a) || !(array.getValue(1) instanceof Number b)) {
          return kind + " takes two numbers [low, high]";
        }
        if (a.doubleValue() >= b.doubleValue()) {
          return kind + " needs low < high";
        }
        if (kind.equals("log_uniform")) {
          return a.doubleValue() <= 0 ? "log_uniform needs 0 < low" : new LogUniform(a.doubleValue(), b.doubleValue());
        }
        return new Uniform(a.doubleValue(), b.doubleValue());
      }
      case "int" -> {
        if (array.size() != 2 || !isInteger(array.getValue(0)) || !isInteger(array.getValue(1))) {
          return "int takes two integers [low, high]";
        }
        long a = ((Number) array.getValue(0)).longValue();
        long b = ((Number) array.getValue(1)).longValue();
        return a > b ? "int needs low <= high" : new IntRange(a, b);
      }
      default -> {
        return "unknown kind '" + kind + "'; use log_uniform, uniform, int or choice";
      }
    }
  }

  private static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long
        || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue()));
  }
}

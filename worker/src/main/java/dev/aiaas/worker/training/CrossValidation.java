package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The k-fold cross-validation of a spec on the training split: each headline metric's mean and
 * sample standard deviation (n - 1) over the folds. Only metrics every fold has are summarized (a
 * fold holding one class has no ROC AUC, say).
 */
public record CrossValidation(int folds, Map<String, double[]> values) {

  public CrossValidation {
    values = Map.copyOf(values);
  }

  /** Summarizes the folds' {@link Evaluation#summaryJson()} numbers. */
  public static CrossValidation of(List<Evaluation> folds) {
    Map<String, List<Double>> byMetric = new LinkedHashMap<>();
    for (Evaluation fold : folds) {
      fold.summaryJson().forEach(e -> {
        if (e.getValue() instanceof Number n) {
          byMetric.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(n.doubleValue());
        }
      });
    }
    Map<String, double[]> values = new LinkedHashMap<>();
    byMetric.forEach((metric, list) -> {
      if (list.size() == folds.size()) {
        values.put(metric, list.stream().mapToDouble(Double::doubleValue).toArray());
      }
    });
    return new CrossValidation(folds.size(), values);
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  static double std(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double mean = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.length - 1));
  }

  /** {@code {"folds":k,"metrics":{"accuracy":{"mean":..,"std":..},...}}}, metrics sorted by name. */
  public JsonObject toJson() {
    JsonObject metrics = new JsonObject();
    values.keySet().stream().sorted().forEach(metric -> metrics.put(metric,
        new JsonObject().put("mean", mean(values.get(metric))).put("std", std(values.get(metric)))));
    return new JsonObject().put("folds", folds).put("metrics", metrics);
  }
}

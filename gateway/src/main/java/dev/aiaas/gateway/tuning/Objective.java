package dev.aiaas.gateway.tuning;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/** The metric a tuning job optimizes; its direction is the metric's own. */
record Objective(String metric, boolean maximize, String task) {

  static final List<Objective> ALL = List.of(
      new Objective("accuracy", true, "classification"),
      new Objective("f1_macro", true, "classification"),
      new Objective("precision_macro", true, "classification"),
      new Objective("recall_macro", true, "classification"),
      new Objective("roc_auc", true, "classification"),
      new Objective("pr_auc", true, "classification"),
      new Objective("log_loss", false, "classification"),
      new Objective("r2", true, "regression"),
      new Objective("mse", false, "regression"),
      new Objective("mae", false, "regression"));

  static Optional<Objective> named(String metric) {
    return ALL.stream().filter(o -> o.metric.equals(metric)).findFirst();
  }

  static String names() {
    return String.join(", ", ALL.stream().map(Objective::metric).toList());
  }

  /** The default per task: macro F1 for classifiers, R squared for regressors. */
  static String defaultFor(String task) {
    return "regression".equals(task) ? "r2" : "f1_macro";
  }

  /** The objective's value in a metrics object (an epoch's summary or a run's evaluation), if there. */
  Optional<Double> of(JsonObject metrics) {
    return metrics != null && metrics.getValue(metric) instanceof Number n && !Double.isNaN(n.doubleValue())
        ? Optional.of(n.doubleValue()) : Optional.empty();
  }

  /** Whether {@code a} is strictly better than {@code b}. */
  boolean better(double a, double b) {
    return maximize ? a > b : a < b;
  }
}

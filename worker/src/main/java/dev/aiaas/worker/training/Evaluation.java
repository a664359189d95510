package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A model's metrics on the held-out validation split, with what it predicted for each held-out row
 * (so the artifact can be checked against them and a client can inspect mistakes).
 */
public sealed interface Evaluation permits Evaluation.Classification, Evaluation.Regression {

  /** The held-out rows' indices in the training table, in the order of the predictions. */
  int[] rows();

  /** Every metric, snake_case, as stored with the model version. */
  JsonObject toJson();

  /** The headline metrics (no per-class detail), for per-epoch progress. */
  JsonObject summaryJson();

  /**
   * A classifier's evaluation; {@code predicted.get(i)} is the label predicted for {@code rows[i]}.
   */
  record Classification(ClassificationMetrics metrics, int[] rows, List<String> predicted)
      implements Evaluation {

    public Classification {
      predicted = List.copyOf(predicted);
    }

    @Override
    public JsonObject toJson() {
      return metrics.toJson();
    }

    @Override
    public JsonObject summaryJson() {
      return metrics.summaryJson();
    }
  }

  /** A regressor's evaluation; {@code predicted[i]} is the value predicted for {@code rows[i]}. */
  record Regression(RegressionMetrics metrics, int[] rows, double[] predicted)
      implements Evaluation {

    @Override
    public JsonObject toJson() {
      return metrics.toJson();
    }

    @Override
    public JsonObject summaryJson() {
      return metrics.toJson();
    }
  }
}

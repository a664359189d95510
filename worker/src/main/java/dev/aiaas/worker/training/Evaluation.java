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
  record Classification(
      ClassificationMetrics metrics, int[] rows, List<String> predicted, ScoreMetrics scores)
      implements Evaluation {

    public Classification {
      predicted = List.copyOf(predicted);
    }

    /** Without probability-based metrics (a trainer that keeps only the predicted labels). */
    public Classification(ClassificationMetrics metrics, int[] rows, List<String> predicted) {
      this(metrics, rows, predicted, null);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = metrics.toJson();
      return scores == null ? json : json.mergeIn(scores.toJson());
    }

    @Override
    public JsonObject summaryJson() {
      JsonObject json = metrics.summaryJson();
      return scores == null ? json : json.mergeIn(scores.summaryJson());
    }
  }

  /**
   * A regressor's evaluation; {@code predicted[i]} is the value predicted for {@code rows[i]}, and
   * the stored metrics add the {@code residuals} summary.
   */
  record Regression(RegressionMetrics metrics, int[] rows, double[] predicted, Residuals residuals)
      implements Evaluation {

    @Override
    public JsonObject toJson() {
      return metrics.toJson().put("residuals", residuals.toJson());
    }

    @Override
    public JsonObject summaryJson() {
      return metrics.toJson();
    }
  }
}

package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * What a classifier's probabilities (not only its predicted labels) say: the log loss (mean
 * negative log-probability of the true class, probabilities clipped to at least {@link #EPSILON}
 * as scikit-learn does, so a class the model never saw costs about 34.5) and, for two classes, the
 * ROC and PR curves of the second label in label order (the positive class).
 *
 * @param binary empty unless there are exactly two labels and both occur
 */
public record ScoreMetrics(double logLoss, String positiveLabel, Optional<BinaryCurves> binary) {

  /** The smallest probability the log loss takes. */
  public static final double EPSILON = 1e-15;

  /**
   * The metrics of {@code probabilities[i][c]} (row {@code i}, class {@code labels.get(c)}) against
   * the true classes {@code actual} (indices into {@code labels}).
   *
   * @throws IllegalArgumentException if there are no rows or the shapes do not match
   */
  public static ScoreMetrics of(int[] actual, double[][] probabilities, List<String> labels) {
    if (actual.length == 0 || actual.length != probabilities.length) {
      throw new IllegalArgumentException(
          actual.length + " true labels for " + probabilities.length + " rows of probabilities");
    }
    double sum = 0;
    for (int i = 0; i < actual.length; i++) {
      if (probabilities[i].length != labels.size() || actual[i] < 0 || actual[i] >= labels.size()) {
        throw new IllegalArgumentException("row " + i + " does not match the " + labels.size() + " labels");
      }
      sum -= Math.log(Math.max(EPSILON, probabilities[i][actual[i]]));
    }
    Optional<BinaryCurves> binary = Optional.empty();
    String positive = null;
    if (labels.size() == 2) {
      positive = labels.get(1);
      double[] scores = new double[actual.length];
      boolean[] isPositive = new boolean[actual.length];
      for (int i = 0; i < actual.length; i++) {
        scores[i] = probabilities[i][1];
        isPositive[i] = actual[i] == 1;
      }
      binary = BinaryCurves.of(scores, isPositive);
    }
    return new ScoreMetrics(sum / actual.length, positive, binary);
  }

  /** {@code log_loss}, and {@code roc_auc} and {@code pr_auc} when defined. */
  public JsonObject summaryJson() {
    JsonObject json = new JsonObject().put("log_loss", logLoss);
    binary.ifPresent(b -> json.put("roc_auc", b.rocAuc()).put("pr_auc", b.prAuc()));
    return json;
  }

  /** The summary plus {@code positive_label}, {@code roc_curve} and {@code pr_curve}. */
  public JsonObject toJson() {
    JsonObject json = summaryJson();
    binary.ifPresent(
        b ->
            json.put("positive_label", positiveLabel)
                .put("roc_curve", b.rocJson())
                .put("pr_curve", b.prJson()));
    return json;
  }
}

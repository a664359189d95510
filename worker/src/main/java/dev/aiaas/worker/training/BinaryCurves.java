package dev.aiaas.worker.training;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary classifier's ranking quality from its positive-class scores: ROC AUC, PR AUC (average
 * precision, as scikit-learn's {@code average_precision_score}) and both curves, one point per
 * distinct score used as threshold ("positive when score >= threshold"), thinned to at most {@link
 * #MAX_POINTS} points for storage. The areas are computed on the full curves, so tied scores count
 * half (the ROC AUC equals the Mann-Whitney statistic).
 *
 * @param rocFpr false-positive rates, from 0 to 1
 * @param rocTpr true-positive rates, from 0 to 1
 * @param rocThresholds the threshold of each ROC point; NaN (stored as null) for (0, 0)
 * @param prRecall recall of each PR point, increasing
 * @param prPrecision precision of each PR point
 * @param prThresholds the threshold of each PR point
 */
public record BinaryCurves(
    double rocAuc,
    double prAuc,
    double[] rocFpr,
    double[] rocTpr,
    double[] rocThresholds,
    double[] prRecall,
    double[] prPrecision,
    double[] prThresholds) {

  /** The most points a stored curve has (the first and last are always kept). */
  public static final int MAX_POINTS = 101;

  /**
   * The curves of {@code scores} (higher means more likely positive) against {@code positive}.
   * Empty when the rows do not hold both classes (neither area is defined then).
   *
   * @throws IllegalArgumentException if the arrays differ in length or a score is not finite
   */
  public static java.util.Optional<BinaryCurves> of(double[] scores, boolean[] positive) {
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          scores.length + " scores for " + positive.length + " labels");
    }
    int positives = 0;
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException("score " + i + " is not a finite number");
      }
      order[i] = i;
      positives += positive[i] ? 1 : 0;
    }
    int negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return java.util.Optional.empty();
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    List<double[]> roc = new ArrayList<>(); // {fpr, tpr, threshold}
    List<double[]> pr = new ArrayList<>(); // {recall, precision, threshold}
    roc.add(new double[] {0, 0, Double.NaN});
    double rocAuc = 0;
    double averagePrecision = 0;
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < order.length; ) {
      double threshold = scores[order[i]];
      // every row tied at this score crosses the threshold together
      while (i < order.length && scores[order[i]] == threshold) {
        if (positive[order[i]]) {
          tp++;
        } else {
          fp++;
        }
        i++;
      }
      double[] last = roc.get(roc.size() - 1);
      double fpr = (double) fp / negatives;
      double tpr = (double) tp / positives;
      rocAuc += (fpr - last[0]) * (tpr + last[1]) / 2;
      roc.add(new double[] {fpr, tpr, threshold});
      double previousRecall = pr.isEmpty() ? 0 : pr.get(pr.size() - 1)[0];
      double precision = (double) tp / (tp + fp);
      averagePrecision += (tpr - previousRecall) * precision;
      pr.add(new double[] {tpr, precision, threshold});
    }
    roc = thin(roc);
    pr = thin(pr);
    return java.util.Optional.of(
        new BinaryCurves(
            rocAuc,
            averagePrecision,
            column(roc, 0),
            column(roc, 1),
            column(roc, 2),
            column(pr, 0),
            column(pr, 1),
            column(pr, 2)));
  }

  /** At most {@link #MAX_POINTS} points, evenly spaced by index, first and last kept. */
  static List<double[]> thin(List<double[]> points) {
    int n = points.size();
    if (n <= MAX_POINTS) {
      return points;
    }
    List<double[]> kept = new ArrayList<>(MAX_POINTS);
    for (int i = 0; i < MAX_POINTS; i++) {
      kept.add(points.get((int) Math.round((double) i * (n - 1) / (MAX_POINTS - 1))));
    }
    return kept;
  }

  private static double[] column(List<double[]> points, int c) {
    return points.stream().mapToDouble(p -> p[c]).toArray();
  }

  /** {@code {"fpr":[...],"tpr":[...],"thresholds":[...]}} (the first threshold is null). */
  public JsonObject rocJson() {
    return new JsonObject()
        .put("fpr", array(rocFpr))
        .put("tpr", array(rocTpr))
        .put("thresholds", array(rocThresholds));
  }

  /** {@code {"recall":[...],"precision":[...],"thresholds":[...]}}. */
  public JsonObject prJson() {
    return new JsonObject()
        .put("recall", array(prRecall))
        .put("precision", array(prPrecision))
        .put("thresholds", array(prThresholds));
  }

  private static JsonArray array(double[] values) {
    JsonArray array = new JsonArray();
    for (double v : values) {
      array.add(Double.isNaN(v) ? null : v);
    }
    return array;
  }
}

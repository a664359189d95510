package dev.aiaas.worker.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Computes evaluation metrics from plain arrays (no DJL), so they can be checked by hand. */
public final class Metrics {

  private Metrics() {}

  /**
   * Classification metrics of {@code predicted} against {@code actual}, both indices into {@code
   * labels}.
   *
   * @throws IllegalArgumentException if the arrays are empty, differ in length or hold a bad index
   */
  public static ClassificationMetrics classification(
      int[] actual, int[] predicted, List<String> labels) {
    if (actual.length == 0 || actual.length != predicted.length) {
      throw new IllegalArgumentException(
          "need as many predictions as true labels, and at least one: "
              + actual.length
              + " true, "
              + predicted.length
              + " predicted");
    }
    int k = labels.size();
    int[][] confusion = new int[k][k];
    int correct = 0;
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] < 0 || actual[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
        throw new IllegalArgumentException("row " + i + " has a label index outside 0.." + (k - 1));
      }
      confusion[actual[i]][predicted[i]]++;
      if (actual[i] == predicted[i]) {
        correct++;
      }
    }
    Map<String, ClassificationMetrics.ClassMetrics> perClass = new LinkedHashMap<>();
    double precisionSum = 0;
    double recallSum = 0;
    double f1Sum = 0;
    int present = 0;
    for (int c = 0; c < k; c++) {
      long truePositives = confusion[c][c];
      long support = 0;
      long predictedAs = 0;
      for (int other = 0; other < k; other++) {
        support += confusion[c][other];
        predictedAs += confusion[other][c];
      }
      double precision = ratio(truePositives, predictedAs);
      double recall = ratio(truePositives, support);
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      perClass.put(
          labels.get(c), new ClassificationMetrics.ClassMetrics(precision, recall, f1, support));
      if (support > 0 || predictedAs > 0) {
        present++;
        precisionSum += precision;
        recallSum += recall;
        f1Sum += f1;
      }
    }
    return new ClassificationMetrics(
        (double) correct / actual.length,
        precisionSum / present,
        recallSum / present,
        f1Sum / present,
        perClass,
        List.copyOf(labels),
        confusion);
  }

  /**
   * Mean squared error, mean absolute error and R² of {@code predicted} against {@code actual}.
   *
   * @throws IllegalArgumentException if the arrays are empty or differ in length
   */
  public static RegressionMetrics regression(double[] actual, double[] predicted) {
    if (actual.length == 0 || actual.length != predicted.length) {
      throw new IllegalArgumentException(
          "need as many predictions as true values, and at least one: "
              + actual.length
              + " true, "
              + predicted.length
              + " predicted");
    }
    double mean = 0;
    for (double y : actual) {
      mean += y;
    }
    mean /= actual.length;
    double squared = 0;
    double absolute = 0;
    double total = 0;
    for (int i = 0; i < actual.length; i++) {
      double error = actual[i] - predicted[i];
      squared += error * error;
      absolute += Math.abs(error);
      total += (actual[i] - mean) * (actual[i] - mean);
    }
    double r2 = total == 0 ? (squared == 0 ? 1 : 0) : 1 - squared / total;
    return new RegressionMetrics(squared / actual.length, absolute / actual.length, r2);
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0 : (double) numerator / denominator;
  }
}

package dev.aiaas.worker.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Computes permutation feature importance on encoded rows. Shuffling a raw column across rows and
 * encoding again is the same as moving that column's encoded block (one float, or a one-hot group)
 * between rows, so the rows are encoded once and only the blocks move.
 */
final class PermutationImportance {

  /** Shuffles per feature: enough for a stable mean at a few forward passes per feature. */
  static final int REPEATS = 3;

  private PermutationImportance() {}

  /** The metric the importance is the drop of: accuracy for classifiers, R² for regressors (higher is better). */
  static double mainMetric(Evaluation evaluation) {
    return evaluation instanceof Evaluation.Classification c
        ? c.metrics().accuracy()
        : ((Evaluation.Regression) evaluation).metrics().r2();
  }

  /**
   * The features ranked by importance, highest first (ties in input order).
   *
   * @param names the feature columns in input order
   * @param widths each feature's encoded width, in the same order
   * @param rows the encoded validation rows, row-major, {@code sum(widths)} floats each
   * @param score the main metric of the model on rows encoded as {@code rows} are (same row order)
   * @param random draws the shuffles
   */
  static List<FeatureImportance> rank(List<String> names, int[] widths, float[] rows, ToDoubleFunction<float[]> score,
      Random random) {
    int width = 0;
    for (int w : widths) {
      width += w;
    }
    int count = width == 0 ? 0 : rows.length / width;
    double baseline = score.applyAsDouble(rows);
    List<FeatureImportance> ranking = new ArrayList<>(names.size());
    int offset = 0;
    for (int f = 0; f < names.size(); f++) {
      double[] drops = new double[REPEATS];
      for (int r = 0; r < REPEATS; r++) {
        drops[r] = baseline - score.applyAsDouble(shuffled(rows, count, width, offset, widths[f], random));
      }
      ranking.add(new FeatureImportance(names.get(f), mean(drops), sampleStd(drops)));
      offset += widths[f];
    }
    List<FeatureImportance> sorted = new ArrayList<>(ranking);
    sorted.sort(Comparator.comparingDouble(FeatureImportance::importance).reversed()); // stable
    return List.copyOf(sorted);
  }

  /** A copy of {@code rows} whose columns {@code [offset, offset + span)} come from shuffled rows. */
  private static float[] shuffled(float[] rows, int count, int width, int offset, int span, Random random) {
    List<Integer> order = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    float[] copy = rows.clone();
    for (int i = 0; i < count; i++) {
      System.arraycopy(rows, order.get(i) * width + offset, copy, i * width + offset, span);
    }
    return copy;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double sampleStd(double[] values) {
    double mean = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.length - 1));
  }
}

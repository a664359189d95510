package dev.aiaas.worker.training;

/**
 * Row-major classifier outputs (logits, {@code width} per row): the arithmetic every trainer scores
 * its validation outputs with, so tabular and image classifiers mean the same by a loss or a
 * probability.
 */
public final class Logits {

  private Logits() {}

  /** Row {@code row}'s softmax cross-entropy against class {@code target}: log-sum-exp minus its logit. */
  public static double crossEntropy(float[] outputs, int row, int width, int target) {
    double max = max(outputs, row, width);
    double exp = 0;
    for (int c = 0; c < width; c++) {
      exp += Math.exp(outputs[row * width + c] - max);
    }
    return max + Math.log(exp) - outputs[row * width + target];
  }

  /** Row {@code row}'s softmax probabilities, in output order (shifted by the max, so no overflow). */
  public static double[] softmax(float[] outputs, int row, int width) {
    double max = max(outputs, row, width);
    double[] p = new double[width];
    double total = 0;
    for (int c = 0; c < width; c++) {
      p[c] = Math.exp(outputs[row * width + c] - max);
      total += p[c];
    }
    for (int c = 0; c < width; c++) {
      p[c] /= total;
    }
    return p;
  }

  /** Row {@code row}'s highest output (the first on a tie). */
  public static int argmax(float[] outputs, int row, int width) {
    int best = 0;
    for (int c = 1; c < width; c++) {
      if (outputs[row * width + c] > outputs[row * width + best]) {
        best = c;
      }
    }
    return best;
  }

  private static double max(float[] outputs, int row, int width) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < width; c++) {
      max = Math.max(max, outputs[row * width + c]);
    }
    return max;
  }
}

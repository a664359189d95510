package dev.aiaas.worker.training;

/**
 * Integrated gradients (Sundararajan et al., 2017) of one scalar output per instance along the
 * straight path from a baseline to the instance, by the trapezoid rule over {@code steps}
 * intervals: {@code (x - b) * mean over the path of dF/dx}. The attributions then sum to
 * {@code F(x) - F(b)} up to the rule's error, which shrinks as the steps grow (exact for a
 * linear {@code F}).
 */
final class IntegratedGradients {

  /** At most this many interpolated rows per gradient pass, bounding native memory. */
  static final int MAX_ROWS_PER_PASS = 8192;

  /** The gradient of each row's output with respect to its row. */
  @FunctionalInterface
  interface Gradient {
    /** {@code rows} rows of {@code width}, row-major; one target per row. */
    InputGradients.Result at(float[] rows, int count, int[] targets);
  }

  /**
   * One instance's attributions per encoded feature and the outputs at both ends of the path.
   */
  record Attribution(double[] perFeature, double output, double baselineOutput) {

    /** |sum of attributions - (output - baseline output)|. */
    double completenessError() {
      double sum = 0;
      for (double a : perFeature) {
        sum += a;
      }
      return Math.abs(sum - (output - baselineOutput));
    }
  }

  private IntegratedGradients() {}

  /**
   * Attributions of {@code instances} (each {@code baseline.length} wide) for their {@code targets}.
   */
  static Attribution[] attribute(float[][] instances, int[] targets, float[] baseline, int steps, Gradient gradient) {
    int width = baseline.length;
    int pathRows = steps + 1;
    int perPass = Math.max(1, MAX_ROWS_PER_PASS / pathRows);
    Attribution[] out = new Attribution[instances.length];
    for (int from = 0; from < instances.length; from += perPass) {
      int count = Math.min(perPass, instances.length - from);
      float[] rows = new float[count * pathRows * width];
      int[] rowTargets = new int[count * pathRows];
      for (int i = 0; i < count; i++) {
        float[] x = instances[from + i];
        for (int k = 0; k <= steps; k++) {
          float alpha = (float) k / steps;
          int offset = (i * pathRows + k) * width;
          for (int f = 0; f < width; f++) {
            rows[offset + f] = baseline[f] + alpha * (x[f] - baseline[f]);
          }
          rowTargets[i * pathRows + k] = targets[from + i];
        }
      }
      InputGradients.Result result = gradient.at(rows, count * pathRows, rowTargets);
      for (int i = 0; i < count; i++) {
        float[] x = instances[from + i];
        double[] attribution = new double[width];
        for (int f = 0; f < width; f++) {
          double integral = 0;
          for (int k = 0; k <= steps; k++) {
            double weight = k == 0 || k == steps ? 0.5 : 1.0;
            integral += weight * result.gradients()[(i * pathRows + k) * width + f];
          }
          attribution[f] = (x[f] - baseline[f]) * integral / steps;
        }
        out[from + i] = new Attribution(attribution, result.outputs()[i * pathRows + steps], result.outputs()[i * pathRows]);
      }
    }
    return out;
  }
}

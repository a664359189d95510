package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * A regressor's residuals (true minus predicted, on the label's scale) summarized: quantiles by
 * linear interpolation between order statistics (numpy's default), the mean and the population
 * standard deviation.
 */
public record Residuals(
    double min,
    double p05,
    double p25,
    double median,
    double p75,
    double p95,
    double max,
    double mean,
    double std) {

  /**
   * The summary of {@code actual[i] - predicted[i]}.
   *
   * @throws IllegalArgumentException if the arrays are empty or differ in length
   */
  public static Residuals of(double[] actual, double[] predicted) {
    if (actual.length == 0 || actual.length != predicted.length) {
      throw new IllegalArgumentException(
          actual.length + " true values for " + predicted.length + " predictions");
    }
    double[] r = new double[actual.length];
    double sum = 0;
    for (int i = 0; i < r.length; i++) {
      r[i] = actual[i] - predicted[i];
      sum += r[i];
    }
    double mean = sum / r.length;
    double squares = 0;
    for (double v : r) {
      squares += (v - mean) * (v - mean);
    }
    Arrays.sort(r);
    return new Residuals(
        r[0],
        quantile(r, 0.05),
        quantile(r, 0.25),
        quantile(r, 0.5),
        quantile(r, 0.75),
        quantile(r, 0.95),
        r[r.length - 1],
        mean,
        Math.sqrt(squares / r.length));
  }

  /** The {@code q} quantile of sorted values, interpolating between the two nearest ranks. */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("min", min)
        .put("p05", p05)
        .put("p25", p25)
        .put("median", median)
        .put("p75", p75)
        .put("p95", p95)
        .put("max", max)
        .put("mean", mean)
        .put("std", std);
  }
}

package dev.aiaas.gateway.testing;

import java.util.Locale;
import java.util.Random;

/** Small generated CSV datasets that several tests train on. */
public final class SyntheticCsv {

  private SyntheticCsv() {}

  /** {@code x,label}: a standard normal {@code x} and its sign as {@code pos}/{@code neg}; any model learns it. */
  public static String signOfX(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < rows; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%s%n", x, x > 0 ? "pos" : "neg"));
    }
    return csv.toString();
  }

  /**
   * {@code a,b,churned}: a binary label ({@code yes}/{@code no}) following a noisy score of the two
   * features, so no model is perfect and two models differ in ROC AUC.
   */
  public static String noisyChurn(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("a,b,churned\n");
    for (int i = 0; i < rows; i++) {
      double a = random.nextGaussian();
      double b = random.nextGaussian();
      boolean churned = a + 0.5 * b + random.nextGaussian() * 0.8 > 0.3;
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", a, b, churned ? "yes" : "no"));
    }
    return csv.toString();
  }
}

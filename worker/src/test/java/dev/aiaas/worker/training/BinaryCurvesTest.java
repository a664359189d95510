package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks ROC AUC, PR AUC and the curves against values computed another way. */
class BinaryCurvesTest {

  private static final double EXACT = 1e-12;

  // five positives, five negatives; 0.8, 0.6 and 0.3 are each shared by a positive and a negative
  private static final double[] SCORES = {0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.4, 0.3, 0.3, 0.1};
  private static final boolean[] POSITIVE = {true, true, false, true, false, true, false, true, false, false};

  /**
   * Verifies that the ROC AUC equals the Mann-Whitney statistic (positive-negative pairs ranked
   * right, ties counting half) and the PR AUC the average precision, both worked out by hand.
   */
  @Test
  void areasMatchTheHandComputation() {
    // Pairs: 0.9 beats all 5 negatives; 0.8 ties one and beats 4; 0.7 beats 4; 0.6 ties one and
    // beats 3; 0.3 ties one and beats 1: (5 + 4.5 + 4 + 3.5 + 1.5) / 25.
    double mannWhitney = 18.5 / 25;
    // Precision where recall rises (to 0.2, 0.4, 0.6, 0.8, 1.0): 1/1, 2/3, 3/4, 4/6, 5/9.
    double averagePrecision = 0.2 * (1 + 2.0 / 3 + 3.0 / 4 + 4.0 / 6 + 5.0 / 9);

    BinaryCurves curves = BinaryCurves.of(SCORES, POSITIVE).orElseThrow();

    assertEquals(mannWhitney, curves.rocAuc(), EXACT);
    assertEquals(pairwise(SCORES, POSITIVE), curves.rocAuc(), EXACT);
    assertEquals(averagePrecision, curves.prAuc(), EXACT);
    // one ROC point per distinct score, after (0, 0)
    assertEquals(8, curves.rocFpr().length);
    assertEquals(0.0, curves.rocFpr()[0]);
    assertEquals(1.0, curves.rocTpr()[7]);
    assertEquals(1.0, curves.rocFpr()[7]);
    JsonObject roc = curves.rocJson();
    assertNull(roc.getJsonArray("thresholds").getValue(0));
    assertEquals(0.9, roc.getJsonArray("thresholds").getDouble(1));
    assertEquals(4.0 / 7, curves.prPrecision()[4], EXACT); // threshold 0.4: 4 of 7 positive
  }

  /**
   * Verifies that a thousand distinct scores give curves of at most 101 points from (0,0) to
   * (1,1), while the areas are still those of every pair.
   */
  @Test
  void curvesAreBoundedAreasAreNot() {
    Random random = new Random(5);
    double[] scores = new double[1000];
    boolean[] positive = new boolean[1000];
    for (int i = 0; i < scores.length; i++) {
      positive[i] = random.nextDouble() < 0.3;
      scores[i] = random.nextGaussian() + (positive[i] ? 1 : 0);
    }

    BinaryCurves curves = BinaryCurves.of(scores, positive).orElseThrow();

    assertEquals(BinaryCurves.MAX_POINTS, curves.rocFpr().length);
    assertEquals(BinaryCurves.MAX_POINTS, curves.prRecall().length);
    assertEquals(0.0, curves.rocTpr()[0]);
    assertEquals(1.0, curves.rocTpr()[BinaryCurves.MAX_POINTS - 1]);
    assertEquals(1.0, curves.prRecall()[BinaryCurves.MAX_POINTS - 1]);
    assertEquals(pairwise(scores, positive), curves.rocAuc(), 1e-12);
    assertTrue(curves.rocAuc() > 0.7, "AUC " + curves.rocAuc());
  }

  /** Verifies that rows of one class have no curves (neither area is defined). */
  @Test
  void oneClassHasNoCurves() {
    assertTrue(BinaryCurves.of(new double[] {0.1, 0.9}, new boolean[] {true, true}).isEmpty());
  }

  /**
   * Verifies the log loss (true-class probabilities clipped at 1e-15) and that two labels add the
   * areas of the second label's probability, while three labels do not.
   */
  @Test
  void scoreMetricsOfProbabilities() {
    double[][] probabilities = {{0.8, 0.2}, {0.3, 0.7}, {0.5, 0.5}, {1.0, 0.0}};
    int[] actual = {0, 1, 1, 1};

    ScoreMetrics scores = ScoreMetrics.of(actual, probabilities, List.of("no", "yes"));

    double expected = -(Math.log(0.8) + Math.log(0.7) + Math.log(0.5) + Math.log(1e-15)) / 4;
    assertEquals(expected, scores.logLoss(), EXACT);
    // positives score 0.7, 0.5, 0.0 against the negative's 0.2: 2 of 3 pairs right
    assertEquals(2.0 / 3, scores.summaryJson().getDouble("roc_auc"), EXACT);
    assertEquals("yes", scores.toJson().getString("positive_label"));
    assertTrue(scores.toJson().containsKey("pr_curve"));

    ScoreMetrics three =
        ScoreMetrics.of(new int[] {0, 2}, new double[][] {{0.5, 0.25, 0.25}, {0.5, 0.25, 0.25}}, List.of("a", "b", "c"));
    assertEquals(-(Math.log(0.5) + Math.log(0.25)) / 2, three.logLoss(), EXACT);
    assertEquals(java.util.Set.of("log_loss"), three.toJson().fieldNames());
  }

  /** Verifies the residual quantiles (linear interpolation), mean and standard deviation. */
  @Test
  void residualSummary() {
    // residuals 1, 0, -1, 0, -2; sorted -2, -1, 0, 0, 1
    Residuals r = Residuals.of(new double[] {3, 5, 7, 9, 11}, new double[] {2, 5, 8, 9, 13});

    assertEquals(-2, r.min(), EXACT);
    assertEquals(-1.8, r.p05(), EXACT); // rank 0.2: -2 + 0.2 * (-1 - -2)
    assertEquals(-1, r.p25(), EXACT);
    assertEquals(0, r.median(), EXACT);
    assertEquals(0, r.p75(), EXACT);
    assertEquals(0.8, r.p95(), EXACT); // rank 3.8: 0 + 0.8 * (1 - 0)
    assertEquals(1, r.max(), EXACT);
    assertEquals(-0.4, r.mean(), EXACT);
    assertEquals(Math.sqrt(5.2 / 5), r.std(), EXACT);
  }

  /** Verifies the cross-validation summary: mean and sample standard deviation per metric. */
  @Test
  void crossValidationSummary() {
    List<Evaluation> folds = List.of(0.5, 0.7, 0.9).stream()
        .map(mse -> (Evaluation) new Evaluation.Regression(new RegressionMetrics(mse, 1, 0.5), new int[0], new double[0],
            Residuals.of(new double[] {1}, new double[] {1})))
        .toList();

    JsonObject json = CrossValidation.of(folds).toJson();

    assertEquals(3, json.getInteger("folds"));
    JsonObject mse = json.getJsonObject("metrics").getJsonObject("mse");
    assertEquals(0.7, mse.getDouble("mean"), EXACT);
    assertEquals(0.2, mse.getDouble("std"), EXACT); // sqrt((0.04 + 0 + 0.04) / 2)
    assertEquals(0.0, json.getJsonObject("metrics").getJsonObject("r2").getDouble("std"), EXACT);
  }

  /** The share of positive-negative pairs the scores order right, ties counting half. */
  private static double pairwise(double[] scores, boolean[] positive) {
    double right = 0;
    long pairs = 0;
    for (int p = 0; p < scores.length; p++) {
      for (int n = 0; n < scores.length; n++) {
        if (positive[p] && !positive[n]) {
          pairs++;
          right += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
        }
      }
    }
    return right / pairs;
  }
}

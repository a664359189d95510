package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the metric arithmetic against small cases worked out by hand. */
class MetricsTest {

  private static final double EXACT = 1e-12;

  /**
   * Verifies accuracy, per-class and macro precision/recall/F1 and the confusion matrix (rows true,
   * columns predicted) of a three-class case.
   */
  @Test
  void threeClassCase() {
    // GIVEN a: 2 of 3 right (one called b); b: 1 of 2 right (one called c); c: 1 of 1 right
    int[] actual = {0, 0, 0, 1, 1, 2};
    int[] predicted = {0, 0, 1, 1, 2, 2};

    // WHEN
    ClassificationMetrics m = Metrics.classification(actual, predicted, List.of("a", "b", "c"));

    // THEN
    assertEquals(4.0 / 6, m.accuracy(), EXACT);
    assertArrayEquals(new int[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}, m.confusionMatrix());
    assertClass(m.perClass().get("a"), 1.0, 2.0 / 3, 0.8, 3);
    assertClass(m.perClass().get("b"), 0.5, 0.5, 0.5, 2);
    assertClass(m.perClass().get("c"), 0.5, 1.0, 2.0 / 3, 1);
    assertEquals(2.0 / 3, m.precisionMacro(), EXACT);
    assertEquals(13.0 / 18, m.recallMacro(), EXACT);
    assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, m.f1Macro(), EXACT);
  }

  /**
   * Verifies that a class never predicted has precision 0 (not NaN) and still counts in the macro
   * average.
   */
  @Test
  void classNeverPredicted() {
    ClassificationMetrics m =
        Metrics.classification(
            new int[] {0, 0, 1, 1}, new int[] {0, 0, 0, 0}, List.of("neg", "pos"));

    assertEquals(0.5, m.accuracy(), EXACT);
    assertClass(m.perClass().get("neg"), 0.5, 1.0, 2.0 / 3, 2);
    assertClass(m.perClass().get("pos"), 0.0, 0.0, 0.0, 2);
    assertEquals(0.25, m.precisionMacro(), EXACT);
    assertEquals(0.5, m.recallMacro(), EXACT);
    assertEquals(1.0 / 3, m.f1Macro(), EXACT);
  }

  /**
   * Verifies that a label neither true nor predicted is listed with zeros but left out of the macro
   * averages.
   */
  @Test
  void absentLabelIsOutOfTheMacroAverage() {
    ClassificationMetrics m =
        Metrics.classification(new int[] {0, 1}, new int[] {0, 1}, List.of("a", "b", "z"));

    assertEquals(1.0, m.f1Macro(), EXACT);
    assertEquals(1.0, m.precisionMacro(), EXACT);
    assertClass(m.perClass().get("z"), 0.0, 0.0, 0.0, 0);
  }

  /** Verifies the snake_case JSON shape of classification metrics. */
  @Test
  void classificationJson() {
    JsonObject json =
        Metrics.classification(new int[] {0, 1, 1}, new int[] {0, 1, 0}, List.of("no", "yes"))
            .toJson();

    assertEquals(2.0 / 3, json.getDouble("accuracy"), EXACT);
    assertEquals(0.75, json.getDouble("precision_macro"), EXACT);
    assertEquals(0.75, json.getDouble("recall_macro"), EXACT);
    assertEquals(2.0 / 3, json.getDouble("f1_macro"), EXACT);
    assertEquals(
        new JsonObject()
            .put("precision", 1.0)
            .put("recall", 0.5)
            .put("f1", 2.0 / 3)
            .put("support", 2L),
        json.getJsonObject("per_class").getJsonObject("yes"));
    assertEquals(
        new JsonObject()
            .put("labels", new JsonArray().add("no").add("yes"))
            .put(
                "matrix",
                new JsonArray()
                    .add(new JsonArray().add(1).add(0))
                    .add(new JsonArray().add(1).add(1))),
        json.getJsonObject("confusion_matrix"));
  }

  /** Verifies MSE, MAE and R² on hand-computed numbers, and their JSON keys. */
  @Test
  void regression() {
    // errors -0.5, 0, 0.5, -1; mean 2.5 so SStot = 5, SSres = 1.5
    RegressionMetrics m =
        Metrics.regression(new double[] {1, 2, 3, 4}, new double[] {1.5, 2, 2.5, 5});

    assertEquals(0.375, m.mse(), EXACT);
    assertEquals(0.5, m.mae(), EXACT);
    assertEquals(0.7, m.r2(), EXACT);
    assertEquals(new JsonObject().put("mse", 0.375).put("mae", 0.5).put("r2", m.r2()), m.toJson());
  }

  /** Verifies that R² of a constant truth is 1 for a perfect fit and 0 otherwise, never NaN. */
  @Test
  void regressionOnConstantTruth() {
    assertEquals(1.0, Metrics.regression(new double[] {2, 2}, new double[] {2, 2}).r2());
    assertEquals(0.0, Metrics.regression(new double[] {2, 2}, new double[] {2, 3}).r2());
  }

  /** Verifies that empty or mismatched arrays and out-of-range indices are refused. */
  @Test
  void badInputIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> Metrics.regression(new double[0], new double[0]));
    assertThrows(
        IllegalArgumentException.class,
        () -> Metrics.regression(new double[] {1}, new double[] {1, 2}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Metrics.classification(new int[] {0}, new int[] {2}, List.of("a", "b")));
  }

  private static void assertClass(
      ClassificationMetrics.ClassMetrics m,
      double precision,
      double recall,
      double f1,
      long support) {
    assertEquals(precision, m.precision(), EXACT, "precision");
    assertEquals(recall, m.recall(), EXACT, "recall");
    assertEquals(f1, m.f1(), EXACT, "f1");
    assertEquals(support, m.support(), "support");
  }
}

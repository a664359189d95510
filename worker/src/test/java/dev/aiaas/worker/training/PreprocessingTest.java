package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.worker.data.CsvTable;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks how raw rows become model inputs, and that the fitted transform survives storage. */
class PreprocessingTest {

  /*
   * Rows 0-4 are the training split: x = 1, 2, 3, 4, missing (mean 2.5, population std sqrt(1.25));
   * plan: basic x2, pro x2, missing x1 (tie: the first by name, basic, is the most frequent).
   * Rows 5-6 are held out; "enterprise" and x = 1000 occur only there.
   */
  private static final CsvTable TABLE =
      SyntheticTables.parse(
          """
          x,plan,constant,label
          1,basic,7,a
          2,pro,7,b
          3,pro,7,a
          4,basic,7,b
          ,,7,a
          1000,enterprise,7,b
          2.5,NA,7,a
          """);
  private static final int[] TRAINING = {0, 1, 2, 3, 4};
  private static final double STD = Math.sqrt(1.25);

  private final Preprocessing preprocessing = Preprocessing.fit(TABLE, "label", TRAINING);

  /**
   * Verifies the layout: one column per numeric feature, one per training category, label excluded.
   */
  @Test
  void layout() {
    assertEquals(List.of("x", "plan", "constant"), preprocessing.featureColumns());
    assertEquals(1 + 2 + 1, preprocessing.width());
  }

  /**
   * Verifies that only training rows are fitted: a validation-only category encodes as all zeros
   * and a validation-only outlier does not move the mean.
   */
  @Test
  void fittedOnTrainingRowsOnly() {
    float[] heldOut = preprocessing.transform(TABLE, 5);

    assertArrayEquals(new float[] {(float) ((1000 - 2.5) / STD), 0f, 0f, 0f}, heldOut);
    assertArrayEquals(
        new float[] {0f, 1f, 0f, 0f}, preprocessing.transform(Map.of("x", 2.5, "plan", "basic")));
  }

  /**
   * Verifies that a category unseen in training is still encoded (as all zeros) but reported as a
   * warning naming the column and the value, by every kind of row; known and missing values are
   * not.
   */
  @Test
  void unseenCategoryIsEncodedWithAWarning() {
    List<Preprocessing.Warning> warnings = new ArrayList<>();

    float[] byName = preprocessing.transform(Map.of("x", 1, "plan", "enterprise"), warnings::add);
    float[] byPosition = preprocessing.transform(Arrays.asList(1, "enterprise", 7), warnings::add);
    float[] fromTable = preprocessing.transform(TABLE, 5, warnings::add);

    assertArrayEquals(new float[] {0f, 0f}, Arrays.copyOfRange(byName, 1, 3));
    assertArrayEquals(byName, byPosition);
    assertArrayEquals(new float[] {0f, 0f}, Arrays.copyOfRange(fromTable, 1, 3));
    Preprocessing.Warning expected =
        new Preprocessing.Warning("plan", "'enterprise' was not seen in training");
    assertEquals(List.of(expected, expected, expected), warnings);

    warnings.clear();
    preprocessing.transform(Map.of("x", 1000, "plan", "pro"), warnings::add);
    preprocessing.transform(TABLE, 6, warnings::add); // plan NA: imputed, not unknown
    assertEquals(List.of(), warnings);
  }

  /** Verifies standardization by the training mean and std, and std 1 for a constant column. */
  @Test
  void standardizes() {
    assertArrayEquals(
        new float[] {(float) ((1 - 2.5) / STD), 1f, 0f, 0f}, preprocessing.transform(TABLE, 0));
    assertArrayEquals(
        new float[] {(float) ((4 - 2.5) / STD), 1f, 0f, 0f}, preprocessing.transform(TABLE, 3));
    assertEquals(3f, preprocessing.transform(Map.of("constant", 10))[3]);
  }

  /**
   * Verifies imputation: a missing number becomes the training mean (0 after scaling), a missing
   * category the most frequent training one, whether missing is an absent key, a null or an "NA".
   */
  @Test
  void imputesMissingValues() {
    float[] imputed = {0f, 1f, 0f, 0f};
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("x", null);
    nulls.put("plan", null);

    assertArrayEquals(imputed, preprocessing.transform(TABLE, 4));
    assertArrayEquals(imputed, preprocessing.transform(Map.of()));
    assertArrayEquals(imputed, preprocessing.transform(nulls));
    assertArrayEquals(imputed, preprocessing.transform(Map.of("x", "NA", "plan", " ")));
    assertArrayEquals(imputed, preprocessing.transform(TABLE, 6));
  }

  /**
   * Verifies that numbers may come as Number or numeric String, and positional rows match named
   * ones.
   */
  @Test
  void acceptsNumbersAndPositionalRows() {
    float[] named = preprocessing.transform(Map.of("x", 3, "plan", "pro", "constant", 7.0));

    assertArrayEquals(
        named, preprocessing.transform(Map.of("x", " 3.0 ", "plan", "pro", "constant", "7")));
    assertArrayEquals(named, preprocessing.transform(Arrays.asList(3L, "pro", 7)));
    assertArrayEquals(named, preprocessing.transform(TABLE, 2));
  }

  /** Verifies that a non-numeric value in a numeric column is refused, naming the column. */
  @Test
  void badNumberNamesTheColumn() {
    IllegalArgumentException text =
        assertThrows(
            IllegalArgumentException.class, () -> preprocessing.transform(Map.of("x", "three")));
    IllegalArgumentException bool =
        assertThrows(
            IllegalArgumentException.class,
            () -> preprocessing.transform(Map.of("constant", true)));

    assertEquals("column 'x' must be a number, got 'three'", text.getMessage());
    assertEquals("column 'constant' must be a number, got true", bool.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> preprocessing.transform(List.of(1, "basic")));
  }

  /** Verifies that a table lacking a feature column is refused, naming the column. */
  @Test
  void tableMissingAFeatureIsRefused() {
    CsvTable other = SyntheticTables.parse("x,plan\n1,basic\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> preprocessing.transform(other, 0));
    assertTrue(e.getMessage().startsWith("column 'constant' is missing"), e.getMessage());
  }

  /**
   * Verifies that the stored JSON, through text, reads back into a transform that gives identical
   * vectors.
   */
  @Test
  void jsonRoundTripGivesIdenticalTransforms() {
    CsvTable table = SyntheticTables.classification(200, 3, 0.0);
    int[] rows = new int[150];
    Arrays.setAll(rows, i -> i);
    Preprocessing fitted = Preprocessing.fit(table, "class", rows);

    Preprocessing restored = Preprocessing.fromJson(new JsonObject(fitted.toJson().encode()));

    assertEquals(fitted, restored);
    for (int row = 0; row < table.rows(); row++) {
      assertArrayEquals(fitted.transform(table, row), restored.transform(table, row), "row " + row);
    }
    Map<String, Object> raw = Map.of("x1", 51.234567, "color", "green");
    assertArrayEquals(fitted.transform(raw), restored.transform(raw));
  }

  /** Verifies that malformed stored JSON is refused rather than half-read. */
  @Test
  void malformedJsonIsRefused() {
    JsonObject json = preprocessing.toJson();
    json.getJsonArray("features").getJsonObject(0).put("type", "ordinal");

    assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson(json));
    assertThrows(
        IllegalArgumentException.class,
        () -> Preprocessing.fromJson(new JsonObject().put("format", 2)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Preprocessing.fromJson(new JsonObject().put("format", 1)));
  }
}

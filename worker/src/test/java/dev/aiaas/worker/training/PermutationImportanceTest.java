package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.aiaas.worker.data.CsvTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Permutation feature importance of trained tabular models. */
class PermutationImportanceTest {

  /**
   * Ten numeric features {@code f0..f9} (f7 categorical), of which only {@code f2} and {@code f5}
   * decide the label: {@code "yes"} when {@code f2 + f5 > 0} (classification), or {@code 3 f2 - 2 f5}
   * plus a little noise (regression).
   */
  static CsvTable twoOfTen(int rows, long seed, boolean classification) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder();
    for (int f = 0; f < 10; f++) {
      csv.append('f').append(f).append(',');
    }
    csv.append("label\n");
    for (int i = 0; i < rows; i++) {
      double[] x = new double[10];
      for (int f = 0; f < 10; f++) {
        x[f] = random.nextGaussian();
        csv.append(f == 7 ? new String[] {"red", "green", "blue"}[random.nextInt(3)]
            : String.format(Locale.ROOT, "%.4f", x[f])).append(',');
      }
      csv.append(classification ? (x[2] + x[5] > 0 ? "yes" : "no")
          : String.format(Locale.ROOT, "%.4f", 3 * x[2] - 2 * x[5] + 0.1 * random.nextGaussian())).append('\n');
    }
    return SyntheticTables.parse(csv.toString());
  }

  private static TrainingResult train(CsvTable table, String task, String architecture) throws Exception {
    JsonObject request = new JsonObject().put("task", task).put("label", "label").put("architecture", architecture)
        .put("hyperparameters", new JsonObject().put("epochs", 15).put("learning_rate", 0.02)).put("seed", 3);
    return TabularTrainer.train(table, TrainingSpec.parse(request).orElseThrow(), Device.cpu(), TrainingListener.NONE);
  }

  private static Set<String> topTwo(List<FeatureImportance> ranking) {
    return ranking.subList(0, 2).stream().map(FeatureImportance::feature).collect(Collectors.toSet());
  }

  /**
   * Verifies that, when the label depends only on two of ten features, a classifier and a
   * regressor rank exactly those two highest, with a clear drop of the main metric (accuracy, R²),
   * while the others stay near zero; that every feature is listed once, sorted, in the stored
   * metrics; and that the ranking is reproducible.
   */
  @Test
  void ranksTheTwoFeaturesTheLabelDependsOnHighest() throws Exception {
    CsvTable classes = twoOfTen(600, 11, true);
    TrainingResult classifier = train(classes, "classification", "mlp");
    List<FeatureImportance> ranking = classifier.featureImportance();
    assertEquals(10, ranking.size(), ranking.toString());
    assertEquals(Set.of("f2", "f5"), topTwo(ranking), ranking.toString());
    assertTrue(ranking.get(1).importance() > 0.1, ranking.toString());
    for (FeatureImportance other : ranking.subList(2, 10)) {
      assertTrue(Math.abs(other.importance()) < 0.05, other.toString());
    }
    for (int i = 1; i < ranking.size(); i++) {
      assertTrue(ranking.get(i - 1).importance() >= ranking.get(i).importance(), ranking.toString());
    }
    JsonArray stored = classifier.metricsJson().getJsonArray("feature_importance");
    assertEquals(FeatureImportance.toJson(ranking), stored);
    assertEquals(Set.of("feature", "importance", "std"), stored.getJsonObject(0).fieldNames());
    assertEquals(ranking, train(classes, "classification", "mlp").featureImportance(), "same seed, same ranking");

    List<FeatureImportance> regression = train(twoOfTen(600, 12, false), "regression", "linear").featureImportance();
    assertEquals(Set.of("f2", "f5"), topTwo(regression), regression.toString());
    assertEquals("f2", regression.get(0).feature(), "f2 has the larger coefficient: " + regression);
    assertTrue(regression.get(1).importance() > 0.5, regression.toString());
  }
}

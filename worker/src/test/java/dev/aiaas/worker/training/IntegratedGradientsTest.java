package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.engine.DjlRuntime;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Integrated gradients through DJL autograd on real MXNet linear models, where the answer is known in closed form. */
class IntegratedGradientsTest {

  @BeforeAll
  static void engine() {
    DjlRuntime.initialize();
  }

  /**
   * Verifies that on a linear model F(x) = w.x + b the attributions are exactly (x - baseline) * w,
   * whatever the steps, and the outputs at both ends are F(x) and F(baseline).
   */
  @Test
  void linearModelAttributionsAreTheClosedForm() {
    float[] w = {2f, -3f, 0.5f, 0f};
    try (Model model = linear(w, 1f)) {
      float[][] instances = {{1f, 2f, 3f, 4f}, {-1f, 0.25f, 0f, 7f}};
      float[] baseline = {0.5f, -0.5f, 1f, 2f};
      for (int steps : new int[] {10, 50}) {
        IntegratedGradients.Attribution[] attributions = IntegratedGradients.attribute(instances, new int[] {0, 0}, baseline,
            steps, (rows, count, targets) -> InputGradients.of(model, rows, new Shape(count, w.length), targets, false));
        for (int i = 0; i < instances.length; i++) {
          double fx = 1;
          double fb = 1;
          for (int f = 0; f < w.length; f++) {
            assertEquals((instances[i][f] - baseline[f]) * w[f], attributions[i].perFeature()[f], 1e-5, "feature " + f);
            fx += w[f] * instances[i][f];
            fb += w[f] * baseline[f];
          }
          assertEquals(fx, attributions[i].output(), 1e-5);
          assertEquals(fb, attributions[i].baselineOutput(), 1e-5);
          assertEquals(0, attributions[i].completenessError(), 1e-4);
        }
      }
    }
  }

  /**
   * Verifies that a trained linear regressor's per-column attributions (one-hot columns summed)
   * equal the change in its prediction when only that column moves from the baseline to the
   * instance, and that completeness holds to float precision.
   */
  @Test
  void trainedLinearRegressorAttributesEachColumnItsOwnEffect() throws Exception {
    CsvTable table = SyntheticTables.regression(400, 5);
    TrainingResult trained = TabularTrainer.train(table, TrainingSpec.parse(new JsonObject().put("task", "regression")
            .put("label", "y").put("architecture", "linear").put("seed", 3)
            .put("hyperparameters", new JsonObject().put("epochs", 5).put("learning_rate", 0.03))).orElseThrow(),
        Device.cpu(), TrainingListener.NONE);
    Preprocessing pre = Preprocessing.fromJson(trained.preprocessing());
    try (TabularModel model = TabularModel.load(trained.modelSpec(), trained.modelParameters(), trained.preprocessing(),
        trained.labels(), Device.cpu())) {
      List<float[]> rows = new ArrayList<>();
      for (int r = 0; r < 20; r++) {
        rows.add(pre.transform(table, r));
      }
      List<Explanation> explanations = model.explainEncoded(rows, 50);
      int[] widths = pre.featureWidths();
      double baselineValue = ((Prediction.Regression) model.predictEncoded(List.of(new float[pre.width()])).get(0)).value();
      for (int r = 0; r < rows.size(); r++) {
        Explanation e = explanations.get(r);
        assertEquals(null, e.target());
        assertEquals(((Prediction.Regression) e.prediction()).value(), e.output(), 1e-3);
        assertEquals(baselineValue, e.baselineOutput(), 1e-3);
        assertTrue(e.completenessError() < 1e-3, "completeness error " + e.completenessError());
        int offset = 0;
        for (int c = 0; c < widths.length; c++) {
          float[] onlyThisColumn = new float[pre.width()];
          System.arraycopy(rows.get(r), offset, onlyThisColumn, offset, widths[c]);
          double moved = ((Prediction.Regression) model.predictEncoded(List.of(onlyThisColumn)).get(0)).value() - baselineValue;
          String column = pre.featureColumns().get(c);
          assertEquals(moved, e.attributions().get(column), 1e-3 + 1e-4 * Math.abs(moved), "row " + r + " column " + column);
          offset += widths[c];
        }
        assertEquals(List.copyOf(pre.featureColumns()), List.copyOf(e.attributions().keySet()));
      }
    }
  }

  /**
   * Verifies that for a softmax classifier the explained output is the predicted class's
   * probability, the attributions sum to its change from the baseline within 1% with 50 steps,
   * and the explanation names that class.
   */
  @Test
  void classifierExplainsThePredictedClassProbability() {
    try (Model model = Model.newInstance("ig-test", Device.cpu(), DjlRuntime.ENGINE_NAME)) {
      Linear block = Linear.builder().setUnits(2).build();
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
      block.getParameters().get("weight").getArray().set(new float[] {1.5f, -2f, 0.5f, -1f, 1f, 0f});
      block.getParameters().get("bias").getArray().set(new float[] {0f, 0.2f});
      model.setBlock(block);
      float[][] instances = {{2f, -1f, 0.5f}};
      IntegratedGradients.Attribution a = IntegratedGradients.attribute(instances, new int[] {0}, new float[3], 50,
          (rows, count, targets) -> InputGradients.of(model, rows, new Shape(count, 3), targets, true))[0];
      double z0 = 1.5 * 2 + 2 + 0.25;
      double z1 = -2 - 1 + 0.2;
      assertEquals(1 / (1 + Math.exp(z1 - z0)), a.output(), 1e-5);
      assertEquals(1 / (1 + Math.exp(0.2)), a.baselineOutput(), 1e-5);
      assertTrue(a.completenessError() < 0.01 * Math.abs(a.output() - a.baselineOutput()), "error " + a.completenessError());
    }
  }

  private static Model linear(float[] w, float bias) {
    Model model = Model.newInstance("ig-test", Device.cpu(), DjlRuntime.ENGINE_NAME);
    Linear block = Linear.builder().setUnits(1).build();
    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, w.length));
    block.getParameters().get("weight").getArray().set(w);
    block.getParameters().get("bias").getArray().set(new float[] {bias});
    model.setBlock(block);
    return model;
  }
}

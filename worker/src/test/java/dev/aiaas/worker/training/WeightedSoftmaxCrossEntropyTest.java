package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.aiaas.worker.engine.DjlRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the class-weighted loss on MXNet against the formula computed in Java. */
class WeightedSoftmaxCrossEntropyTest {

  @BeforeAll
  static void engine() {
    DjlRuntime.initialize();
  }

  /**
   * Verifies that the batch loss is the mean of weight[true class] times the row's softmax
   * cross-entropy, and equals DJL's unweighted loss when every weight is 1.
   */
  @Test
  void weighsEachRowByItsClass() {
    float[] logits = {2f, 0.5f, -1f, 0f, 1f, 3f};
    float[] classes = {0f, 2f};
    float[] weights = {0.5f, 1f, 4f};
    double row0 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(0.5) + Math.exp(-1)));
    double row1 = -Math.log(Math.exp(3) / (Math.exp(0) + Math.exp(1) + Math.exp(3)));
    try (NDManager manager = NDManager.newBaseManager(DjlRuntime.ENGINE_NAME)) {
      NDList labels = new NDList(manager.create(classes));
      NDList predictions = new NDList(manager.create(logits, new Shape(2, 3)));

      double weighted = new WeightedSoftmaxCrossEntropy("w", weights).evaluate(labels, predictions).getFloat();
      double ones = new WeightedSoftmaxCrossEntropy("w", new float[] {1, 1, 1}).evaluate(labels, predictions).getFloat();
      double djl = Loss.softmaxCrossEntropyLoss().evaluate(labels, predictions).getFloat();

      assertEquals((0.5 * row0 + 4 * row1) / 2, weighted, 1e-5);
      assertEquals((row0 + row1) / 2, ones, 1e-5);
      assertEquals(djl, ones, 1e-5);
    }
  }
}

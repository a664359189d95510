package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** scikit-learn's balanced class weights, shared by tabular and image classifiers. */
class ClassWeightsTest {

  /**
   * Verifies that each class weighs rows / (classes x class rows), as scikit-learn's {@code
   * compute_class_weight("balanced")} gives for 6, 2 and 0 rows of three classes, and that a class
   * without training rows weighs 0 instead of dividing by zero.
   */
  @Test
  void weighsClassesInverselyToTheirRows() {
    float[] classes = {0, 0, 0, 0, 0, 0, 1, 1};
    assertArrayEquals(new float[] {8f / (2 * 6), 8f / (2 * 2)}, ClassWeights.balanced(classes, 2), 1e-6f);
    assertArrayEquals(new float[] {8f / (3 * 6), 8f / (3 * 2), 0f}, ClassWeights.balanced(classes, 3), 1e-6f);
  }
}

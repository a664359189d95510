package dev.aiaas.worker.training;

import ai.djl.training.loss.Loss;

/**
 * {@code class_weight: balanced} for every classifier: scikit-learn's weights and the loss that
 * applies them.
 */
public final class ClassWeights {

  private ClassWeights() {}

  /**
   * scikit-learn's "balanced": {@code rows / (classes * rows of the class)} over the training
   * split's class indices. A class without training rows weighs 0: nothing of it is trained on, and
   * its validation rows (an image set's split may leave a class out of training) then add no loss,
   * as a tabular model's never-seen class adds none.
   */
  public static float[] balanced(float[] trainingClasses, int classes) {
    int[] counts = new int[classes];
    for (float c : trainingClasses) {
      counts[(int) c]++;
    }
    float[] weights = new float[classes];
    for (int c = 0; c < classes; c++) {
      weights[c] = counts[c] == 0 ? 0f : (float) trainingClasses.length / (classes * counts[c]);
    }
    return weights;
  }

  /** Softmax cross-entropy named {@code name}, weighed per class by {@code weights} (null: unweighted). */
  public static Loss softmaxCrossEntropy(String name, float[] weights) {
    return weights == null ? Loss.softmaxCrossEntropyLoss(name) : new WeightedSoftmaxCrossEntropy(name, weights);
  }
}

package dev.aiaas.worker.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy with a weight per class: the batch loss is the mean over rows of {@code
 * weight[true class] * -log softmax(output)[true class]} (the row's class is a float index, as the
 * unweighted loss takes it).
 */
final class WeightedSoftmaxCrossEntropy extends Loss {

  private final float[] weights;

  WeightedSoftmaxCrossEntropy(String name, float[] weights) {
    super(name);
    this.weights = weights.clone();
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = predictions.singletonOrThrow();
    NDArray oneHot = labels.singletonOrThrow().oneHot(weights.length);
    NDArray rowWeights = oneHot.mul(logits.getManager().create(weights)).sum(new int[] {1});
    NDArray rowLosses = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
    return rowLosses.mul(rowWeights).mean();
  }
}

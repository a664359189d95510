package dev.aiaas.worker.training;

import ai.djl.Model;
import ai.djl.mxnet.engine.MxGradientCollector;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * The gradient of one output per row with respect to the model's input, by DJL autograd: one
 * inference-mode forward pass (batch norm on its moving statistics, no dropout) recorded on a
 * native sub-manager of its own, then one backward pass. It never touches the model's
 * Predictors; callers serialize it with the forward passes ({@link ThreadPredictors#exclusive}).
 */
public final class InputGradients {

  /**
   * Per row: the output that was differentiated, and its gradient (row-major, the input's shape).
   */
  public record Result(float[] outputs, float[] gradients) {}

  private InputGradients() {}

  /**
   * Differentiates, for each row {@code r}, output {@code targets[r]} of {@code model} (after a
   * softmax over the outputs when {@code softmax}) with respect to its input row.
   *
   * @param values the input, row-major, of {@code shape} (batch first)
   * @param targets one output index per row
   */
  public static Result of(Model model, float[] values, Shape shape, int[] targets, boolean softmax) {
    try (NDManager manager = model.getNDManager().newSubManager();
        GradientCollector collector = manager.getEngine().newGradientCollector()) {
      if (collector instanceof MxGradientCollector) {
        // The collector records in training mode; batch norm and dropout must behave as at inference.
        MxGradientCollector.setTraining(false);
      }
      NDArray input = manager.create(values, shape);
      input.setRequiresGradient(true);
      NDArray output = model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), false).singletonOrThrow();
      NDArray scores = softmax ? output.softmax(1) : output;
      int width = (int) scores.getShape().get(1);
      float[] mask = new float[targets.length * width];
      for (int r = 0; r < targets.length; r++) {
        mask[r * width + targets[r]] = 1f;
      }
      NDArray picked = scores.mul(manager.create(mask, scores.getShape())).sum(new int[] {1});
      // Rows are independent, so the gradient of the sum is each row's own gradient.
      collector.backward(picked.sum());
      return new Result(picked.toFloatArray(), input.getGradient().toFloatArray());
    }
  }
}

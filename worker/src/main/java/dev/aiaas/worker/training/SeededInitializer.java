package dev.aiaas.worker.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Random;

/**
 * Glorot/Xavier-uniform weights drawn from a Java {@link Random}. The engine's own initializers
 * draw from MXNet's process-wide generator, which concurrent trainings on other devices would
 * advance; drawing from the run's own seeded generator keeps a run reproducible whatever else is
 * running.
 */
final class SeededInitializer implements Initializer {

  private final Random random;

  SeededInitializer(Random random) {
    this.random = random;
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    long fanOut = shape.get(0); // DJL's Linear weight is (units, inputs)
    long fanIn = shape.dimension() > 1 ? shape.size() / fanOut : fanOut;
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    }
    NDArray array = manager.create(values, shape);
    if (dataType == DataType.FLOAT32) {
      return array;
    }
    try (array) {
      return array.toType(dataType, true);
    }
  }
}

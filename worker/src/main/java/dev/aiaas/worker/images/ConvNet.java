package dev.aiaas.worker.images;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/**
 * The small LeNet-style CNN: Conv2d 5x5 (8) -> ReLU -> MaxPool 2 -> Conv2d 5x5 (16) -> ReLU ->
 * MaxPool 2 -> Flatten -> Linear(64) -> ReLU -> Linear(classes), on (N, 1, size, size) inputs in
 * [0, 1]. Outputs logits.
 */
record ConvNet(int size, int classes) {

  static final String ARCHITECTURE = "cnn";
  static final String TASK = "classification";
  static final int MIN_SIZE = 16;
  static final int MAX_SIZE = 128;
  static final int MAX_CLASSES = 1000;
  static final int FILTERS_1 = 8;
  static final int FILTERS_2 = 16;
  static final int HIDDEN = 64;
  static final int KERNEL = 5;

  ConvNet {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "the image size must be between " + MIN_SIZE + " and " + MAX_SIZE + ", not " + size);
    }
    if (classes < 2 || classes > MAX_CLASSES) {
      throw new IllegalArgumentException(
          "the number of classes must be between 2 and " + MAX_CLASSES + ", not " + classes);
    }
  }

  /** The side of the feature maps after the second pooling. */
  int featureSide() {
    return ((size - KERNEL + 1) / 2 - KERNEL + 1) / 2;
  }

  SequentialBlock newBlock() {
    return new SequentialBlock()
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(KERNEL, KERNEL))
                .setFilters(FILTERS_1)
                .build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(KERNEL, KERNEL))
                .setFilters(FILTERS_2)
                .build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(HIDDEN).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(classes).build());
  }

  Shape inputShape(long batch) {
    return new Shape(batch, 1, size, size);
  }

  /** Every parameter's shape, in block order: each layer's weight, then bias. */
  List<Shape> parameterShapes() {
    long flat = (long) FILTERS_2 * featureSide() * featureSide();
    return List.of(
        new Shape(FILTERS_1, 1, KERNEL, KERNEL),
        new Shape(FILTERS_1),
        new Shape(FILTERS_2, FILTERS_1, KERNEL, KERNEL),
        new Shape(FILTERS_2),
        new Shape(HIDDEN, flat),
        new Shape(HIDDEN),
        new Shape(classes, HIDDEN),
        new Shape(classes));
  }

  /** {@code {"architecture":"cnn","task":"classification","input":{size,channels:1},classes}}. */
  JsonObject toJson() {
    return new JsonObject()
        .put("architecture", ARCHITECTURE)
        .put("task", TASK)
        .put("input", new JsonObject().put("size", size).put("channels", 1))
        .put("classes", classes);
  }

  /**
   * Reads a model spec written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException if it is not one
   */
  static ConvNet fromJson(JsonObject json) {
    try {
      JsonObject input = json.getJsonObject("input");
      if (!ARCHITECTURE.equals(json.getString("architecture"))
          || !TASK.equals(json.getString("task"))
          || input == null
          || !Integer.valueOf(1).equals(input.getInteger("channels"))
          || input.getInteger("size") == null
          || json.getInteger("classes") == null) {
        throw new IllegalArgumentException("not an image model spec: " + json.encode());
      }
      return new ConvNet(input.getInteger("size"), json.getInteger("classes"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("not an image model spec: " + json.encode(), e);
    }
  }

  /**
   * Glorot/Xavier-uniform weights from the run's own seeded generator (MXNet's generator is
   * process-wide, so concurrent runs would make each other irreproducible). Fans count the kernel
   * area for convolutions: a weight is (out, in, kh, kw) or (out, in).
   */
  static final class SeededGlorot implements Initializer {

    private final Random random;

    SeededGlorot(Random random) {
      this.random = random;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
      long receptive = shape.dimension() > 2 ? shape.size() / (shape.get(0) * shape.get(1)) : 1;
      long fanOut = shape.get(0) * receptive;
      long fanIn = (shape.dimension() > 1 ? shape.get(1) : shape.get(0)) * receptive;
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
}

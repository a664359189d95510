package dev.aiaas.worker.images;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The LeNet-style layout {@code cnn} trained before {@link BatchNormNet}: Conv2d 5x5 (8) -> ReLU ->
 * MaxPool 2 -> Conv2d 5x5 (16) -> ReLU -> MaxPool 2 -> Flatten -> Linear(64) -> ReLU ->
 * Linear(classes). Kept so the versions it registered still load and serve; nothing trains it
 * but the test that measures its successor against it.
 */
record LeNet(int size, int classes) implements ConvNet {

  static final int FILTERS_1 = 8;
  static final int FILTERS_2 = 16;
  static final int HIDDEN = 64;
  static final int KERNEL = 5;

  LeNet {
    ConvNet.checkInput(size, classes);
  }

  /** The side of the feature maps after the second pooling. */
  int featureSide() {
    return ((size - KERNEL + 1) / 2 - KERNEL + 1) / 2;
  }

  @Override
  public SequentialBlock newBlock() {
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(KERNEL, KERNEL)).setFilters(FILTERS_1).build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(Conv2d.builder().setKernelShape(new Shape(KERNEL, KERNEL)).setFilters(FILTERS_2).build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(HIDDEN).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(classes).build());
  }

  @Override
  public List<Shape> parameterShapes() {
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

  /** The spec as it was always written: no {@value ConvNet#LAYERS} key. */
  @Override
  public JsonObject toJson() {
    return ConvNet.baseJson(size, classes);
  }
}

package dev.aiaas.worker.images;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import dev.aiaas.worker.training.Hyperparameters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The small modern convnet {@code cnn} trains: one block per entry of {@code channels}, each
 * Conv2d 3x3 (same padding, no bias: the batch norm's beta is one) -> BatchNorm -> ReLU -> MaxPool
 * 2, then Flatten -> Dropout -> Linear(classes): the convolutions learn the features, and no wide
 * dense layer (most of the parameters, and of the overfitting, on small sets) follows them.
 * Batch norm and dropout act in training only; served, it is a plain feed-forward pass.
 */
record BatchNormNet(int size, int classes, List<Integer> channels, double dropout)
    implements ConvNet {

  /** The {@value ConvNet#LAYERS} value of this layout's specs. */
  static final String LAYERS_NAME = "conv-bn";

  static final int KERNEL = 3;

  /** Conv blocks: two by default; up to three fit the smallest image (16 / 2^3 = 2). */
  static final int MIN_BLOCKS = 1;

  static final int MAX_BLOCKS = Hyperparameters.MAX_CONV_BLOCKS;
  static final int MIN_CHANNELS = Hyperparameters.MIN_CONV_CHANNELS;
  static final int MAX_CHANNELS = Hyperparameters.MAX_CONV_CHANNELS;
  static final double MAX_DROPOUT = Hyperparameters.MAX_DROPOUT;

  BatchNormNet {
    ConvNet.checkInput(size, classes);
    channels = List.copyOf(channels);
    if (channels.size() < MIN_BLOCKS || channels.size() > MAX_BLOCKS) {
      throw new IllegalArgumentException(
          "between " + MIN_BLOCKS + " and " + MAX_BLOCKS + " conv blocks, not " + channels.size());
    }
    for (int c : channels) {
      if (c < MIN_CHANNELS || c > MAX_CHANNELS) {
        throw new IllegalArgumentException(
            "conv channels between " + MIN_CHANNELS + " and " + MAX_CHANNELS + ", not " + c);
      }
    }
    if (!(dropout >= 0 && dropout <= MAX_DROPOUT)) {
      throw new IllegalArgumentException("dropout between 0 and " + MAX_DROPOUT + ", not " + dropout);
    }
  }

  /** The side of the feature maps after the last pooling (each halves it, rounding down). */
  int featureSide() {
    int side = size;
    for (int i = 0; i < channels.size(); i++) {
      side /= 2;
    }
    return side;
  }

  @Override
  public SequentialBlock newBlock() {
    SequentialBlock block = new SequentialBlock();
    for (int c : channels) {
      block
          .add(
              Conv2d.builder()
                  .setKernelShape(new Shape(KERNEL, KERNEL))
                  .optPadding(new Shape(KERNEL / 2, KERNEL / 2))
                  .setFilters(c)
                  .optBias(false)
                  .build())
          .add(BatchNorm.builder().build())
          .add(Activation::relu)
          .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }
    return block
        .add(Blocks.batchFlattenBlock())
        .add(Dropout.builder().optRate((float) dropout).build())
        .add(Linear.builder().setUnits(classes).build());
  }

  @Override
  public List<Shape> parameterShapes() {
    List<Shape> shapes = new ArrayList<>();
    long in = 1;
    for (int c : channels) {
      shapes.add(new Shape(c, in, KERNEL, KERNEL));
      for (int i = 0; i < 4; i++) { // gamma, beta, running mean, running variance
        shapes.add(new Shape(c));
      }
      in = c;
    }
    long flat = in * featureSide() * featureSide();
    shapes.add(new Shape(classes, flat));
    shapes.add(new Shape(classes));
    return shapes;
  }

  /** The base spec plus {@code layers}, {@code conv_channels} and {@code dropout}. */
  @Override
  public JsonObject toJson() {
    return ConvNet.baseJson(size, classes)
        .put(LAYERS, LAYERS_NAME)
        .put("conv_channels", new JsonArray(new ArrayList<>(channels)))
        .put("dropout", dropout);
  }
}

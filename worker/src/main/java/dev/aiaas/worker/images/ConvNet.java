package dev.aiaas.worker.images;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.initializer.Initializer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The layers of an image classifier on (N, 1, size, size) inputs in [0, 1], outputting logits, as
 * a model spec names them. Two layouts exist: {@link BatchNormNet} (what {@code cnn} trains) and
 * {@link LeNet} (what it trained before, still loaded for the versions it registered).
 */
sealed interface ConvNet permits BatchNormNet, LeNet {

  String ARCHITECTURE = "cnn";
  String TASK = "classification";
  int MIN_SIZE = 16;
  int MAX_SIZE = 128;
  int MAX_CLASSES = 1000;

  /** The spec key naming the layout; specs written before it existed are {@link LeNet}s. */
  String LAYERS = "layers";

  /** The side of the (square, grayscale) input images. */
  int size();

  /** How many classes the network outputs logits for. */
  int classes();

  /** A fresh, uninitialized block with this layout. */
  SequentialBlock newBlock();

  /** Every parameter's shape, in block order: what stored parameters must have. */
  List<Shape> parameterShapes();

  /** The model spec stored with a version: enough to rebuild {@link #newBlock()}. */
  JsonObject toJson();

  default Shape inputShape(long batch) {
    return new Shape(batch, 1, size(), size());
  }

  /** Checks the size and class count every layout shares. */
  static void checkInput(int size, int classes) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "the image size must be between " + MIN_SIZE + " and " + MAX_SIZE + ", not " + size);
    }
    if (classes < 2 || classes > MAX_CLASSES) {
      throw new IllegalArgumentException(
          "the number of classes must be between 2 and " + MAX_CLASSES + ", not " + classes);
    }
  }

  /** {@code {"architecture":"cnn","task":"classification","input":{size,channels:1},classes}}. */
  static JsonObject baseJson(int size, int classes) {
    return new JsonObject()
        .put("architecture", ARCHITECTURE)
        .put("task", TASK)
        .put("input", new JsonObject().put("size", size).put("channels", 1))
        .put("classes", classes);
  }

  /**
   * Reads a model spec written by a layout's {@link #toJson()}; one without {@value #LAYERS} is a
   * {@link LeNet}, as every spec written before the layouts were named.
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
      int size = input.getInteger("size");
      int classes = json.getInteger("classes");
      String layers = json.getString(LAYERS);
      if (layers == null) {
        return new LeNet(size, classes);
      }
      if (!BatchNormNet.LAYERS_NAME.equals(layers)) {
        throw new IllegalArgumentException("unknown image model layers '" + layers + "'");
      }
      JsonArray channels = json.getJsonArray("conv_channels");
      Number dropout = json.getNumber("dropout");
      if (channels == null || dropout == null) {
        throw new IllegalArgumentException("not an image model spec: " + json.encode());
      }
      List<Integer> widths = new ArrayList<>();
      for (int i = 0; i < channels.size(); i++) {
        widths.add(channels.getInteger(i));
      }
      return new BatchNormNet(size, classes, widths, dropout.doubleValue());
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not an image model spec: " + json.encode(), e);
    }
  }

  /**
   * Glorot/Xavier-uniform weights from the run's own seeded generator (MXNet's generator is
   * process-wide, so concurrent runs would make each other irreproducible). Fans count the kernel
   * area for convolutions: a weight is (out, in, kh, kw) or (out, in).
   */
  final class SeededGlorot implements Initializer {

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

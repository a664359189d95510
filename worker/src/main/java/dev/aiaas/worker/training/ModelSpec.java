package dev.aiaas.worker.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.aiaas.worker.engine.DjlRuntime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What is needed to rebuild a trained tabular network before loading its parameters: its shape, and
 * for regression the scale of the label (the network predicts the standardized label).
 *
 * @param hiddenUnits one Linear+ReLU layer each (empty for linear)
 * @param outputWidth the number of classes, or 1 for regression
 * @param targetMean the training label mean (0 for classification)
 * @param targetStd the training label standard deviation (1 for classification)
 */
public record ModelSpec(
    String task,
    String architecture,
    int inputWidth,
    List<Integer> hiddenUnits,
    int outputWidth,
    double targetMean,
    double targetStd) {

  /** JSON format version, stored so that a future layout can still read old models. */
  public static final int FORMAT = 1;

  public ModelSpec {
    hiddenUnits = List.copyOf(hiddenUnits);
    if (task == null
        || architecture == null
        || !TrainingSpec.TASKS.contains(task)
        || !TrainingSpec.ARCHITECTURES.contains(architecture)) {
      throw new IllegalArgumentException(
          "unknown task '" + task + "' or architecture '" + architecture + "'");
    }
    if (inputWidth < 1 || outputWidth < 1 || hiddenUnits.stream().anyMatch(u -> u < 1)) {
      throw new IllegalArgumentException("layer widths must be positive");
    }
    if (TrainingSpec.REGRESSION.equals(task) && outputWidth != 1) {
      throw new IllegalArgumentException("a regression model has one output, not " + outputWidth);
    }
    if (TrainingSpec.LINEAR.equals(architecture) != hiddenUnits.isEmpty()) {
      throw new IllegalArgumentException(
          "a linear model has no hidden layers; an mlp has at least one");
    }
    if (!Double.isFinite(targetMean) || !Double.isFinite(targetStd) || targetStd <= 0) {
      throw new IllegalArgumentException("invalid target scale " + targetMean + ", " + targetStd);
    }
  }

  public boolean classification() {
    return TrainingSpec.CLASSIFICATION.equals(task);
  }

  /** A fresh, uninitialized network of this shape: [Linear, ReLU] per hidden layer, then Linear. */
  public SequentialBlock newBlock() {
    SequentialBlock block = new SequentialBlock();
    for (int units : hiddenUnits) {
      block.add(Linear.builder().setUnits(units).build());
      block.add(Activation.reluBlock());
    }
    block.add(Linear.builder().setUnits(outputWidth).build());
    return block;
  }

  /**
   * The shape of every parameter of {@link #newBlock()}, in order: each layer's weight, then bias.
   */
  public List<Shape> parameterShapes() {
    List<Integer> widths = new ArrayList<>();
    widths.add(inputWidth);
    widths.addAll(hiddenUnits);
    widths.add(outputWidth);
    List<Shape> shapes = new ArrayList<>();
    for (int i = 0; i + 1 < widths.size(); i++) {
      shapes.add(
          new Shape(widths.get(i + 1), widths.get(i))); // DJL's Linear weight is (units, inputs)
      shapes.add(new Shape(widths.get(i + 1)));
    }
    return shapes;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("format", FORMAT)
        .put("engine", DjlRuntime.ENGINE_NAME)
        .put("task", task)
        .put("architecture", architecture)
        .put("input_width", inputWidth)
        .put("hidden_units", new JsonArray(new ArrayList<>(hiddenUnits)))
        .put("output_width", outputWidth)
        .put("target_mean", targetMean)
        .put("target_std", targetStd);
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException if it is not a model spec this version can rebuild
   */
  public static ModelSpec fromJson(JsonObject json) {
    try {
      if (json.getInteger("format", -1) != FORMAT) {
        throw new IllegalArgumentException(
            "unsupported model spec format " + json.getValue("format"));
      }
      List<Integer> hidden = new ArrayList<>();
      json.getJsonArray("hidden_units").forEach(u -> hidden.add(((Number) u).intValue()));
      return new ModelSpec(
          json.getString("task"),
          json.getString("architecture"),
          json.getInteger("input_width"),
          hidden,
          json.getInteger("output_width"),
          json.getDouble("target_mean"),
          json.getDouble("target_std"));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("malformed model spec: " + e.getMessage(), e);
    }
  }
}

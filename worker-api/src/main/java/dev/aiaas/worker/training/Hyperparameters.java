package dev.aiaas.worker.training;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a tabular model is trained. Build it with {@link #parse}, which applies the defaults and
 * checks every field (ranges, and that the loss and hidden layers fit the task and architecture).
 *
 * <p>{@code l1} and {@code l2} are penalties added to each batch's loss: {@code l1 * sum|w|} and
 * {@code l2 * sum(w^2)} over the weights of every layer (biases are not penalized), for Adam and
 * SGD alike. They are not applied as the optimizer's weight decay, which for Adam would not be L2.
 *
 * @param patience early stopping: stop after this many epochs in a row without a validation loss
 *     improvement; 0 turns early stopping off
 */
public record Hyperparameters(
    int epochs,
    int batchSize,
    double learningRate,
    String optimizer,
    String loss,
    double l1,
    double l2,
    List<Integer> hiddenUnits,
    int patience) {

  public static final String ADAM = "adam";
  public static final String SGD = "sgd";
  public static final String SOFTMAX_CROSS_ENTROPY = "softmax_cross_entropy";
  public static final String L2_LOSS = "l2";
  public static final String L1_LOSS = "l1";

  public static final int MAX_EPOCHS = 1000;
  public static final int MAX_BATCH_SIZE = 4096;
  public static final int MAX_HIDDEN_LAYERS = 8;
  public static final int MAX_UNITS = 4096;
  public static final int MAX_PATIENCE = 1000;
  public static final List<Integer> DEFAULT_HIDDEN_UNITS = List.of(64, 32);

  static final List<String> OPTIMIZERS = List.of(ADAM, SGD);
  static final List<String> LOSSES = List.of(SOFTMAX_CROSS_ENTROPY, L2_LOSS, L1_LOSS);
  private static final Set<String> KEYS =
      Set.of(
          "epochs",
          "batch_size",
          "learning_rate",
          "optimizer",
          "loss",
          "l1",
          "l2",
          "hidden_units",
          "patience");
  private static final String PREFIX = "hyperparameters";

  public Hyperparameters {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(loss, "loss");
    hiddenUnits = List.copyOf(hiddenUnits);
  }

  /** The defaults for a task ({@code classification} or {@code regression}) and architecture. */
  public static Hyperparameters defaults(String task, String architecture) {
    return parse(new JsonObject(), task, architecture).orElseThrow();
  }

  /**
   * Validates the {@code hyperparameters} object of a training request (null means all defaults)
   * for the given task and architecture, reporting every bad field as {@code
   * hyperparameters.<key>}. An unknown task or architecture is reported as a {@code task} or {@code
   * architecture} error.
   */
  public static Parsed<Hyperparameters> parse(
      JsonObject hyperparameters, String task, String architecture) {
    List<FieldError> errors = new ArrayList<>();
    boolean knownTask = task != null && TrainingSpec.TASKS.contains(task);
    boolean knownArchitecture =
        architecture != null && TrainingSpec.ARCHITECTURES.contains(architecture);
    if (!knownTask) {
      errors.add(new FieldError("task", TrainingSpec.TASK_MESSAGE));
    }
    if (!knownArchitecture) {
      errors.add(new FieldError("architecture", TrainingSpec.ARCHITECTURE_MESSAGE));
    }
    FieldReader in = new FieldReader(hyperparameters, PREFIX, errors);
    in.rejectUnknown(KEYS);
    Integer epochs = in.integer("epochs", 1, MAX_EPOCHS, 20);
    Integer batchSize = in.integer("batch_size", 1, MAX_BATCH_SIZE, 32);
    Double learningRate = in.number("learning_rate", 0, true, 1, 0.01);
    String optimizer = in.choice("optimizer", OPTIMIZERS, ADAM);
    String loss = loss(in, task, knownTask);
    Double l1 = in.number("l1", 0, false, 1, 0.0);
    Double l2 = in.number("l2", 0, false, 1, 0.0);
    List<Integer> hiddenUnits = hiddenUnits(in, architecture);
    Integer patience = in.integer("patience", 0, MAX_PATIENCE, 0);
    if (!errors.isEmpty()) {
      return Parsed.failed(errors);
    }
    return Parsed.of(
        new Hyperparameters(
            epochs, batchSize, learningRate, optimizer, loss, l1, l2, hiddenUnits, patience));
  }

  private static String loss(FieldReader in, String task, boolean knownTask) {
    String defaultLoss =
        !knownTask
            ? null
            : TrainingSpec.CLASSIFICATION.equals(task) ? SOFTMAX_CROSS_ENTROPY : L2_LOSS;
    if (!knownTask && !in.has("loss")) {
      return null; // the task error already explains it
    }
    String loss = in.choice("loss", LOSSES, defaultLoss);
    if (loss == null || !knownTask) {
      return loss;
    }
    boolean classification = TrainingSpec.CLASSIFICATION.equals(task);
    if (classification && !loss.equals(SOFTMAX_CROSS_ENTROPY)) {
      in.error(
          in.field("loss"),
          loss + " is a regression loss; classification uses " + SOFTMAX_CROSS_ENTROPY);
      return null;
    }
    if (!classification && loss.equals(SOFTMAX_CROSS_ENTROPY)) {
      in.error(
          in.field("loss"),
          SOFTMAX_CROSS_ENTROPY
              + " is a classification loss; regression uses "
              + L2_LOSS
              + " or "
              + L1_LOSS);
      return null;
    }
    return loss;
  }

  private static List<Integer> hiddenUnits(FieldReader in, String architecture) {
    String field = in.field("hidden_units");
    // The cnn's layers are fixed; like linear, it takes no hidden_units.
    boolean linear = TrainingSpec.LINEAR.equals(architecture) || TrainingSpec.CNN.equals(architecture);
    Object raw = in.raw("hidden_units");
    if (raw == null) {
      return linear ? List.of() : DEFAULT_HIDDEN_UNITS;
    }
    if (!(raw instanceof JsonArray array)) {
      in.error(field, "must be an array of layer sizes");
      return null;
    }
    if (linear) {
      if (!array.isEmpty()) {
        in.error(
            field,
            "must be empty or absent for the " + architecture + " architecture, which takes no hidden layer sizes");
        return null;
      }
      return List.of();
    }
    if (TrainingSpec.MLP.equals(architecture)
        && (array.isEmpty() || array.size() > MAX_HIDDEN_LAYERS)) {
      in.error(
          field,
          "must list between 1 and " + MAX_HIDDEN_LAYERS + " layer sizes for the mlp architecture");
      return null;
    }
    List<Integer> units = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < array.size(); i++) {
      Object element = array.getValue(i);
      Integer size =
          element == null ? null : in.checkInteger(field + "[" + i + "]", element, 1, MAX_UNITS);
      if (element == null) {
        in.error(field + "[" + i + "]", "must be an integer");
      }
      if (size == null) {
        valid = false;
      } else {
        units.add(size);
      }
    }
    return valid ? units : null;
  }

  /** All values, defaults included, with the request's snake_case names. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("epochs", epochs)
        .put("batch_size", batchSize)
        .put("learning_rate", learningRate)
        .put("optimizer", optimizer)
        .put("loss", loss)
        .put("l1", l1)
        .put("l2", l2)
        .put("hidden_units", new JsonArray(new ArrayList<>(hiddenUnits)))
        .put("patience", patience);
  }
}

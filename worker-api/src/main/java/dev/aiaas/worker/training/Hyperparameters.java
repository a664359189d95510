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
 * @param convChannels cnn only (empty otherwise): the output channels of each conv block
 * @param dropout cnn only (0 otherwise): the dropout rate before the dense layer
 * @param augment cnn only (false otherwise): random flips and shifts of the training images
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
    int patience,
    List<Integer> convChannels,
    double dropout,
    boolean augment) {

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
  public static final double DEFAULT_LEARNING_RATE = 0.01;
  public static final double DEFAULT_CNN_LEARNING_RATE = 0.001;
  public static final List<Integer> DEFAULT_CONV_CHANNELS = List.of(32, 64);
  public static final int MAX_CONV_BLOCKS = 3;
  public static final int MIN_CONV_CHANNELS = 4;
  public static final int MAX_CONV_CHANNELS = 256;
  public static final double DEFAULT_DROPOUT = 0.25;
  public static final double MAX_DROPOUT = 0.9;
  private static final List<String> CNN_KEYS = List.of("augment", "conv_channels", "dropout");

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
          "patience",
          "conv_channels",
          "dropout",
          "augment");
  private static final String PREFIX = "hyperparameters";

  public Hyperparameters {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(loss, "loss");
    hiddenUnits = List.copyOf(hiddenUnits);
    convChannels = List.copyOf(convChannels);
  }

  /** A tabular model's hyperparameters: no cnn settings. */
  public Hyperparameters(
      int epochs,
      int batchSize,
      double learningRate,
      String optimizer,
      String loss,
      double l1,
      double l2,
      List<Integer> hiddenUnits,
      int patience) {
    this(epochs, batchSize, learningRate, optimizer, loss, l1, l2, hiddenUnits, patience,
        List.of(), 0, false);
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
    boolean cnn = TrainingSpec.CNN.equals(architecture);
    // batch norm lets the cnn learn fast, but Adam at 0.01 overshoots its first epochs
    double defaultLearningRate = cnn ? DEFAULT_CNN_LEARNING_RATE : DEFAULT_LEARNING_RATE;
    Double learningRate = in.number("learning_rate", 0, true, 1, defaultLearningRate);
    String optimizer = in.choice("optimizer", OPTIMIZERS, ADAM);
    String loss = loss(in, task, knownTask);
    Double l1 = in.number("l1", 0, false, 1, 0.0);
    Double l2 = in.number("l2", 0, false, 1, 0.0);
    List<Integer> hiddenUnits = hiddenUnits(in, architecture);
    Integer patience = in.integer("patience", 0, MAX_PATIENCE, 0);
    List<Integer> convChannels = List.of();
    Double dropout = 0.0;
    Boolean augment = false;
    if (cnn) {
      convChannels = convChannels(in);
      dropout = in.number("dropout", 0, false, MAX_DROPOUT, DEFAULT_DROPOUT);
      augment = flag(in, "augment", false);
    } else if (knownArchitecture) {
      for (String key : CNN_KEYS) {
        if (in.has(key)) {
          in.error(in.field(key), "applies to the cnn architecture only, not " + architecture);
        }
      }
    }
    if (!errors.isEmpty()) {
      return Parsed.failed(errors);
    }
    return Parsed.of(
        new Hyperparameters(
            epochs, batchSize, learningRate, optimizer, loss, l1, l2, hiddenUnits, patience,
            convChannels, dropout, augment));
  }

  /** {@code conv_channels}: 1 to 3 integers, one per conv block, default [32, 64]. */
  private static List<Integer> convChannels(FieldReader in) {
    String field = in.field("conv_channels");
    Object raw = in.raw("conv_channels");
    if (raw == null) {
      return DEFAULT_CONV_CHANNELS;
    }
    if (!(raw instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_CONV_BLOCKS) {
      in.error(
          field,
          "must list between 1 and " + MAX_CONV_BLOCKS + " channel counts, one per conv block");
      return null;
    }
    List<Integer> channels = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < array.size(); i++) {
      Object element = array.getValue(i);
      Integer width =
          element == null
              ? null
              : in.checkInteger(field + "[" + i + "]", element, MIN_CONV_CHANNELS, MAX_CONV_CHANNELS);
      if (element == null) {
        in.error(field + "[" + i + "]", "must be an integer");
      }
      if (width == null) {
        valid = false;
      } else {
        channels.add(width);
      }
    }
    return valid ? channels : null;
  }

  /** A JSON boolean, the default when absent, or null after recording an error. */
  private static Boolean flag(FieldReader in, String key, boolean defaultValue) {
    Object raw = in.raw(key);
    if (raw == null) {
      return defaultValue;
    }
    if (!(raw instanceof Boolean value)) {
      in.error(in.field(key), "must be true or false");
      return null;
    }
    return value;
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

  /**
   * All values, defaults included, with the request's snake_case names; the cnn settings only for
   * a cnn (non-empty {@code convChannels}), so tabular jobs store what they always did.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("epochs", epochs)
        .put("batch_size", batchSize)
        .put("learning_rate", learningRate)
        .put("optimizer", optimizer)
        .put("loss", loss)
        .put("l1", l1)
        .put("l2", l2)
        .put("hidden_units", new JsonArray(new ArrayList<>(hiddenUnits)))
        .put("patience", patience);
    if (!convChannels.isEmpty()) {
      json.put("conv_channels", new JsonArray(new ArrayList<>(convChannels)))
          .put("dropout", dropout)
          .put("augment", augment);
    }
    return json;
  }
}

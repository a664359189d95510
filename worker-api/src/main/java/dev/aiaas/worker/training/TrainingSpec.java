package dev.aiaas.worker.training;

import dev.aiaas.worker.data.ColumnSchema;
import dev.aiaas.worker.data.ColumnType;
import dev.aiaas.worker.data.CsvTable;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to train on a tabular data set: the task, which column to predict, the architecture and its
 * hyperparameters, how much of the data to hold out for validation and the seed that makes the run
 * reproducible. Build it with {@link #parse}; check it against the data with {@link
 * #validateAgainst}.
 *
 * @param validationSplit the fraction of rows held out for validation and the final metrics
 * @param seed drives the split, the weight initialization and the batch order
 * @param split how rows are held out: {@code stratified} (each class in proportion) or {@code random}
 * @param classWeight {@code balanced} weighs each class's loss by rows / (classes * class rows) of
 *     the training split; {@code none} weighs every row alike
 * @param cvFolds k of an additional k-fold cross-validation on the training split; 0 for none
 */
public record TrainingSpec(
    String task,
    String label,
    String architecture,
    Hyperparameters hyperparameters,
    double validationSplit,
    long seed,
    String split,
    String classWeight,
    int cvFolds) {

  public static final String CLASSIFICATION = "classification";
  public static final String REGRESSION = "regression";
  public static final String LINEAR = "linear";
  public static final String MLP = "mlp";
  public static final List<String> TASKS = List.of(CLASSIFICATION, REGRESSION);
  /** A small convolutional network for image data sets (classification only). */
  public static final String CNN = "cnn";

  public static final List<String> ARCHITECTURES = List.of(LINEAR, MLP, CNN);

  public static final double DEFAULT_VALIDATION_SPLIT = 0.2;
  public static final double MIN_VALIDATION_SPLIT = 0.05;
  public static final double MAX_VALIDATION_SPLIT = 0.5;
  public static final long DEFAULT_SEED = 0;
  public static final int MIN_TRAINING_ROWS = 10;
  public static final int MIN_VALIDATION_ROWS = 2;
  public static final int MAX_CLASSES = 1000;
  public static final String STRATIFIED = "stratified";
  public static final String RANDOM = "random";
  public static final List<String> SPLITS = List.of(STRATIFIED, RANDOM);
  public static final String NONE = "none";
  public static final String BALANCED = "balanced";
  public static final List<String> CLASS_WEIGHTS = List.of(NONE, BALANCED);
  public static final int MIN_CV_FOLDS = 3;
  public static final int MAX_CV_FOLDS = 10;

  /** The label of image data sets: the folder (class) an image is in. */
  public static final String IMAGE_LABEL = "class";

  static final String TASK_MESSAGE = "must be one of " + String.join(", ", TASKS);
  static final String ARCHITECTURE_MESSAGE =
      "must be linear or mlp (tabular data sets) or cnn (image data sets)";

  public TrainingSpec {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(hyperparameters, "hyperparameters");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(classWeight, "classWeight");
  }

  /** A spec with the default data preparation: the task's split, no class weights, no folds. */
  public TrainingSpec(String task, String label, String architecture, Hyperparameters hyperparameters,
      double validationSplit, long seed) {
    this(task, label, architecture, hyperparameters, validationSplit, seed,
        CLASSIFICATION.equals(task) ? STRATIFIED : RANDOM, NONE, 0);
  }

  public boolean classification() {
    return CLASSIFICATION.equals(task);
  }

  /**
   * Validates a training request: {@code task} (required), {@code label} (required), {@code
   * architecture} (default mlp), {@code hyperparameters}, {@code validation_split} (default 0.2),
   * {@code seed} (default 0), {@code split} (stratified for classification, else random),
   * {@code class_weight} (default none) and {@code cv_folds} (3..10, default none). Other top-level keys (e.g. {@code dataset_id}, {@code model})
   * belong to the gateway and are ignored here; unknown hyperparameters are errors.
   */
  public static Parsed<TrainingSpec> parse(JsonObject request) {
    List<FieldError> found = new ArrayList<>();
    FieldReader in = new FieldReader(request, "", found);
    String task = in.choice("task", TASKS, null);
    String architecture = MLP;
    if (in.has("architecture")) {
      Object raw = in.raw("architecture");
      architecture = ARCHITECTURES.contains(raw) ? (String) raw : null;
      if (architecture == null) {
        in.error("architecture", ARCHITECTURE_MESSAGE);
      }
    }
    // Image data sets carry their label in the folder names: the label field is optional there.
    String label = in.string("label", CNN.equals(architecture) ? IMAGE_LABEL : null);
    if (CNN.equals(architecture) && task != null && !CLASSIFICATION.equals(task)) {
      in.error("task", "the cnn architecture does classification only");
    }
    Object rawHyperparameters = in.raw("hyperparameters");
    Hyperparameters hyperparameters = null;
    if (rawHyperparameters != null && !(rawHyperparameters instanceof JsonObject)) {
      in.error("hyperparameters", "must be an object");
    } else {
      Parsed<Hyperparameters> parsed =
          Hyperparameters.parse((JsonObject) rawHyperparameters, task, architecture);
      // task and architecture errors are reported above, once
      parsed.errors().stream()
          .filter(e -> e.field().startsWith("hyperparameters"))
          .forEach(found::add);
      hyperparameters = parsed.value();
    }
    Double split =
        in.number(
            "validation_split",
            MIN_VALIDATION_SPLIT,
            false,
            MAX_VALIDATION_SPLIT,
            DEFAULT_VALIDATION_SPLIT);
    Long seed = in.longInteger("seed", DEFAULT_SEED);
    String rowSplit = rowSplit(in, task);
    String classWeight = in.choice("class_weight", CLASS_WEIGHTS, NONE);
    if (BALANCED.equals(classWeight) && task != null && !CLASSIFICATION.equals(task)) {
      in.error("class_weight", "balanced weighs classes: it needs the classification task");
    }
    Integer cvFolds = in.integer("cv_folds", MIN_CV_FOLDS, MAX_CV_FOLDS, 0);
    if (in.has("cv_folds") && CNN.equals(architecture)) {
      in.error("cv_folds", "cross-validation is for tabular data sets, not the cnn architecture");
    }
    if (!found.isEmpty()) {
      return Parsed.failed(found);
    }
    return Parsed.of(new TrainingSpec(task, label, architecture, hyperparameters, split, seed,
        rowSplit, classWeight, cvFolds));
  }

  /** {@code split}: stratified needs classes (tabular or image ones). */
  private static String rowSplit(FieldReader in, String task) {
    String rowSplit = in.choice("split", SPLITS, REGRESSION.equals(task) ? RANDOM : STRATIFIED);
    if (STRATIFIED.equals(rowSplit) && in.has("split") && REGRESSION.equals(task)) {
      in.error("split", "stratified keeps each class's share: it needs the classification task; use random");
    }
    return rowSplit;
  }

  /** Re-checks every value of a spec built in code with the same rules as {@link #parse}. */
  public List<FieldError> validate() {
    return parse(toJson()).errors();
  }

  /**
   * Checks this spec against the data set it is to be trained on: the label column exists, has a
   * value in every row and suits the task, there are features besides it, and there are enough rows
   * for the split. Returns every problem found (empty when it can be trained).
   */
  public List<FieldError> validateAgainst(CsvTable table) {
    List<FieldError> errors = new ArrayList<>();
    int column = table.columnIndex(label);
    if (column < 0) {
      errors.add(
          new FieldError(
              "label",
              "column '"
                  + label
                  + "' is not in the data set; its columns are "
                  + String.join(", ", table.columns())));
    } else {
      checkLabel(table, column, errors);
    }
    int validationRows = validationRows(table.rows(), validationSplit);
    int trainingRows = table.rows() - validationRows;
    if (cvFolds > 0 && trainingRows / cvFolds < MIN_VALIDATION_ROWS) {
      errors.add(new FieldError("cv_folds", "the training split has " + trainingRows + " rows, too few for "
          + cvFolds + " folds of at least " + MIN_VALIDATION_ROWS + " rows"));
    }
    if (trainingRows < MIN_TRAINING_ROWS || validationRows < MIN_VALIDATION_ROWS) {
      errors.add(
          new FieldError(
              "validation_split",
              "the data set has "
                  + table.rows()
                  + " rows, which with validation_split "
                  + validationSplit
                  + " leaves "
                  + trainingRows
                  + " for training and "
                  + validationRows
                  + " for validation; at least "
                  + MIN_TRAINING_ROWS
                  + " and "
                  + MIN_VALIDATION_ROWS
                  + " are needed"));
    }
    return errors;
  }

  private void checkLabel(CsvTable table, int column, List<FieldError> errors) {
    ColumnSchema schema = table.schema().get(column);
    if (table.columns().size() < 2) {
      errors.add(
          new FieldError("label", "the data set has no feature columns besides '" + label + "'"));
    }
    if (schema.missing() > 0) {
      errors.add(
          new FieldError(
              "label",
              "column '"
                  + label
                  + "' has no value in "
                  + schema.missing()
                  + " of "
                  + table.rows()
                  + " rows; remove or fill those rows"));
    }
    if (REGRESSION.equals(task) && schema.type() != ColumnType.NUMERIC) {
      errors.add(
          new FieldError(
              "label",
              "column '"
                  + label
                  + "' is not numeric (it holds values such as '"
                  + schema.categories().get(0)
                  + "'); regression needs a numeric label"));
    }
    if (CLASSIFICATION.equals(task)) {
      int classes = table.counts(column).size();
      if (classes < 2) {
        errors.add(
            new FieldError(
                "label",
                "column '"
                    + label
                    + "' has "
                    + classes
                    + " distinct value; classification needs at least 2 classes"));
      } else if (classes > MAX_CLASSES) {
        errors.add(
            new FieldError(
                "label",
                "column '"
                    + label
                    + "' has "
                    + classes
                    + " distinct values; classification supports at most "
                    + MAX_CLASSES
                    + " classes"));
      }
    }
  }

  /** How many of {@code rows} are held out for validation. */
  static int validationRows(int rows, double validationSplit) {
    return (int) Math.round(rows * validationSplit);
  }

  /** The request shape, defaults filled in (what a job stores to be re-run identically). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("task", task)
        .put("label", label)
        .put("architecture", architecture)
        .put("hyperparameters", hyperparameters.toJson())
        .put("validation_split", validationSplit)
        .put("seed", seed)
        .put("split", split)
        .put("class_weight", classWeight);
    return cvFolds == 0 ? json : json.put("cv_folds", cvFolds);
  }
}

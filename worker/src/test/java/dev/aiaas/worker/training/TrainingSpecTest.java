package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.worker.data.CsvTable;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks a training request's validation, alone and against the data set it names. */
class TrainingSpecTest {

  private static final String REQUEST =
      """
{"dataset_id": "0b4e8f52-5d8c-4b4e-9d6c-2f1f6d1c9a11", "model": "churn", "task": "classification",
 "label": "churned", "architecture": "mlp", "hyperparameters": {"epochs": 20, "batch_size": 32,
 "learning_rate": 0.01, "optimizer": "adam", "loss": "softmax_cross_entropy", "l2": 0.0001,
 "hidden_units": [64, 32]}, "validation_split": 0.2, "seed": 7}
""";

  /**
   * Verifies that the design document's example request parses, ignoring the gateway's own keys.
   */
  @Test
  void parsesTheDocumentedRequest() {
    TrainingSpec spec = TrainingSpec.parse(new JsonObject(REQUEST)).orElseThrow();

    assertEquals(
        new TrainingSpec(
            "classification",
            "churned",
            "mlp",
            new Hyperparameters(
                20, 32, 0.01, "adam", "softmax_cross_entropy", 0, 0.0001, List.of(64, 32), 0),
            0.2,
            7),
        spec);
    assertEquals(List.of(), spec.validate());
  }

  /** Verifies the defaults: mlp, validation_split 0.2, seed 0, default hyperparameters. */
  @Test
  void defaults() {
    TrainingSpec spec =
        TrainingSpec.parse(new JsonObject().put("task", "regression").put("label", "y"))
            .orElseThrow();

    assertEquals("mlp", spec.architecture());
    assertEquals(0.2, spec.validationSplit());
    assertEquals(0, spec.seed());
    assertEquals(Hyperparameters.defaults("regression", "mlp"), spec.hyperparameters());
  }

  /**
   * Verifies that top-level and hyperparameter errors are all reported together, each naming its
   * field.
   */
  @Test
  void reportsEveryError() {
    JsonObject request =
        new JsonObject()
            .put("task", "clustering")
            .put("architecture", "transformer")
            .put("validation_split", 0.9)
            .put("seed", "seven")
            .put("hyperparameters", new JsonObject().put("epochs", 0));

    Map<String, String> errors = errors(TrainingSpec.parse(request));

    assertEquals(
        Map.of(
            "task", "must be one of classification, regression",
            "label", "is required",
            "architecture", "must be linear or mlp (tabular data sets) or cnn (image data sets)",
            "hyperparameters.epochs", "must be between 1 and 1000",
            "validation_split", "must be between 0.05 and 0.5",
            "seed", "must be an integer"),
        errors);
  }

  /** Verifies that a spec built in code is re-checked by validate(). */
  @Test
  void validateRechecksCodeBuiltSpecs() {
    TrainingSpec spec =
        new TrainingSpec(
            "regression",
            "y",
            "linear",
            new Hyperparameters(0, 32, 0.01, "adam", "softmax_cross_entropy", 0, 0, List.of(), 0),
            0.01,
            1);

    assertEquals(
        Map.of(
            "hyperparameters.epochs", "must be between 1 and 1000",
            "hyperparameters.loss",
                "softmax_cross_entropy is a classification loss; regression uses l2 or l1",
            "validation_split", "must be between 0.05 and 0.5"),
        spec.validate().stream().collect(Collectors.toMap(FieldError::field, FieldError::message)));
  }

  /** Verifies that a label the table lacks is named, with the columns it has. */
  @Test
  void labelMustBeAColumn() {
    List<FieldError> errors =
        spec("classification", "churn").validateAgainst(table(20, i -> "a,1,yes"));

    assertEquals(
        List.of(
            new FieldError(
                "label",
                "column 'churn' is not in the data set; its columns are plan, age, churned")),
        errors);
  }

  /** Verifies that a regression label must be numeric. */
  @Test
  void regressionLabelMustBeNumeric() {
    List<FieldError> errors =
        spec("regression", "churned").validateAgainst(table(20, i -> "a,1,yes"));

    assertEquals(1, errors.size());
    assertEquals("label", errors.get(0).field());
    assertTrue(errors.get(0).message().contains("is not numeric"), errors.get(0).message());
  }

  /** Verifies that a classification label needs at least two classes. */
  @Test
  void classificationNeedsTwoClasses() {
    List<FieldError> errors =
        spec("classification", "churned").validateAgainst(table(20, i -> "a,1,yes"));

    assertEquals(
        List.of(
            new FieldError(
                "label",
                "column 'churned' has 1 distinct value; classification needs at least 2 classes")),
        errors);
  }

  /** Verifies that a classification label may have at most 1000 classes. */
  @Test
  void classificationAllowsAtMostAThousandClasses() {
    List<FieldError> errors =
        spec("classification", "age").validateAgainst(table(1001, i -> "a," + i + ",yes"));

    assertEquals(
        List.of(
            new FieldError(
                "label",
                "column 'age' has 1001 distinct values; classification supports at most 1000"
                    + " classes")),
        errors);
  }

  /** Verifies that rows without a label are counted in the error. */
  @Test
  void labelMustHaveNoMissingValues() {
    List<FieldError> errors =
        spec("classification", "churned")
            .validateAgainst(table(20, i -> "a,1," + (i % 5 == 0 ? "" : i % 2)));

    assertEquals(
        List.of(
            new FieldError(
                "label",
                "column 'churned' has no value in 4 of 20 rows; remove or fill those rows")),
        errors);
  }

  /**
   * Verifies that a table too small for the split is refused, saying how many rows each side gets.
   */
  @Test
  void needsEnoughRowsForTheSplit() {
    List<FieldError> errors =
        spec("classification", "churned").validateAgainst(table(11, i -> "a,1," + i % 2));

    assertEquals(1, errors.size());
    assertEquals("validation_split", errors.get(0).field());
    assertEquals(
        "the data set has 11 rows, which with validation_split 0.2 leaves 9 for training and 2"
            + " for validation; at least 10 and 2 are needed",
        errors.get(0).message());
    assertEquals(
        List.of(),
        spec("classification", "churned").validateAgainst(table(13, i -> "a,1," + i % 2)));
  }

  /**
   * Verifies the data preparation defaults (stratified for classification, tabular or image, random
   * otherwise, no class weights, no folds), that an image job may choose a random split and
   * balanced weights, and that they are stored with the spec.
   */
  @Test
  void dataPreparationDefaults() {
    TrainingSpec classification = spec("classification", "churned");
    assertEquals("stratified", classification.split());
    assertEquals("none", classification.classWeight());
    assertEquals(0, classification.cvFolds());
    assertEquals("stratified", classification.toJson().getString("split"));
    assertEquals(false, classification.toJson().containsKey("cv_folds"));
    assertEquals("random", spec("regression", "y").split());
    assertEquals("stratified", TrainingSpec.parse(new JsonObject().put("task", "classification")
        .put("architecture", "cnn")).orElseThrow().split());
    TrainingSpec images = TrainingSpec.parse(new JsonObject().put("task", "classification").put("architecture", "cnn")
        .put("split", "random").put("class_weight", "balanced")).orElseThrow();
    assertEquals(List.of("random", "balanced", 0), List.of(images.split(), images.classWeight(), images.cvFolds()));
    TrainingSpec chosen = TrainingSpec.parse(new JsonObject().put("task", "classification").put("label", "c")
        .put("split", "random").put("class_weight", "balanced").put("cv_folds", 5)).orElseThrow();
    assertEquals(List.of("random", "balanced", 5), List.of(chosen.split(), chosen.classWeight(), chosen.cvFolds()));
    assertEquals(chosen, TrainingSpec.parse(chosen.toJson()).orElseThrow());
  }

  /** Verifies that bad or unsuitable data preparation options are each named with the reason. */
  @Test
  void dataPreparationErrors() {
    assertEquals(
        Map.of(
            "split", "must be one of stratified, random",
            "class_weight", "must be one of none, balanced",
            "cv_folds", "must be between 3 and 10"),
        errors(TrainingSpec.parse(new JsonObject().put("task", "classification").put("label", "c")
            .put("split", "kfold").put("class_weight", "auto").put("cv_folds", 2))));
    assertEquals(
        Map.of(
            "split", "stratified keeps each class's share: it needs the classification task; use random",
            "class_weight", "balanced weighs classes: it needs the classification task"),
        errors(TrainingSpec.parse(new JsonObject().put("task", "regression").put("label", "y")
            .put("split", "stratified").put("class_weight", "balanced"))));
    assertEquals(
        Map.of("cv_folds", "cross-validation is for tabular data sets, not the cnn architecture"),
        errors(TrainingSpec.parse(new JsonObject().put("task", "classification").put("architecture", "cnn")
            .put("split", "stratified").put("class_weight", "balanced").put("cv_folds", 3))));
    assertEquals("must be between 3 and 10", errors(TrainingSpec.parse(new JsonObject()
        .put("task", "regression").put("label", "y").put("cv_folds", 11))).get("cv_folds"));
  }

  /** Verifies that folds too small for the training split are refused, naming cv_folds. */
  @Test
  void cvFoldsMustFitTheTrainingSplit() {
    JsonObject request = new JsonObject().put("task", "classification").put("label", "churned").put("cv_folds", 10);
    // 20 rows: 16 for training, 1 per fold
    List<FieldError> errors =
        TrainingSpec.parse(request).orElseThrow().validateAgainst(table(20, i -> "a,1," + i % 2));
    assertEquals(List.of("cv_folds"), errors.stream().map(FieldError::field).toList());
    assertEquals(List.of(), TrainingSpec.parse(request.put("cv_folds", 8)).orElseThrow()
        .validateAgainst(table(20, i -> "a,1," + i % 2)));
  }

  private static TrainingSpec spec(String task, String label) {
    return TrainingSpec.parse(new JsonObject().put("task", task).put("label", label)).orElseThrow();
  }

  private static CsvTable table(int rows, IntFunction<String> row) {
    StringBuilder csv = new StringBuilder("plan,age,churned\n");
    for (int i = 0; i < rows; i++) {
      csv.append(row.apply(i)).append('\n');
    }
    return SyntheticTables.parse(csv.toString());
  }

  private static Map<String, String> errors(Parsed<?> parsed) {
    return parsed.errors().stream()
        .collect(Collectors.toMap(FieldError::field, FieldError::message));
  }
}

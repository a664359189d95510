package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A trained tabular model and its evaluation. The artifact is {@code modelSpec}, {@code
 * modelParameters}, {@code preprocessing} and {@code labels}: store all four and give them to
 * {@link TabularModel#load} to serve it.
 *
 * @param evaluation of the kept epoch ({@code bestEpoch}) on the validation split
 * @param modelParameters DJL's parameter encoding of the block ({@code Block.saveParameters})
 * @param labels the classes in output order (empty for regression)
 * @param epochsRun how many epochs were trained
 * @param stoppedEarly whether early stopping ended the run before {@code hyperparameters.epochs}
 * @param bestEpoch the epoch the parameters and evaluation are of (the lowest validation loss with
 *     early stopping, else the last); 0 when the trainer does not say
 * @param crossValidation the k-fold summary when the spec asked for {@code cv_folds}, else null
 * @param featureImportance permutation importance per input column, highest first (tabular
 *     models; empty when the trainer does not compute it)
 */
public record TrainingResult(
    Evaluation evaluation,
    byte[] modelParameters,
    JsonObject preprocessing,
    List<String> labels,
    int epochsRun,
    boolean stoppedEarly,
    JsonObject modelSpec,
    int bestEpoch,
    CrossValidation crossValidation,
    List<FeatureImportance> featureImportance) {

  public TrainingResult {
    labels = List.copyOf(labels);
    featureImportance = List.copyOf(featureImportance);
  }

  /** A result without feature importance. */
  public TrainingResult(Evaluation evaluation, byte[] modelParameters, JsonObject preprocessing, List<String> labels,
      int epochsRun, boolean stoppedEarly, JsonObject modelSpec, int bestEpoch, CrossValidation crossValidation) {
    this(evaluation, modelParameters, preprocessing, labels, epochsRun, stoppedEarly, modelSpec, bestEpoch,
        crossValidation, List.of());
  }

  /** A result that names no best epoch and has no cross-validation. */
  public TrainingResult(Evaluation evaluation, byte[] modelParameters, JsonObject preprocessing,
      List<String> labels, int epochsRun, boolean stoppedEarly, JsonObject modelSpec) {
    this(evaluation, modelParameters, preprocessing, labels, epochsRun, stoppedEarly, modelSpec, 0, null);
  }

  /**
   * The metrics stored with the model version: the evaluation, plus {@code cross_validation} and
   * {@code feature_importance} when there are.
   */
  public JsonObject metricsJson() {
    JsonObject json = evaluation.toJson();
    if (crossValidation != null) {
      json.put("cross_validation", crossValidation.toJson());
    }
    if (!featureImportance.isEmpty()) {
      json.put("feature_importance", FeatureImportance.toJson(featureImportance));
    }
    return json;
  }
}

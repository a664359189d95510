package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A trained tabular model and its evaluation. The artifact is {@code modelSpec}, {@code
 * modelParameters}, {@code preprocessing} and {@code labels}: store all four and give them to
 * {@link TabularModel#load} to serve it.
 *
 * @param modelParameters DJL's parameter encoding of the block ({@code Block.saveParameters})
 * @param labels the classes in output order (empty for regression)
 * @param epochsRun how many epochs were trained
 * @param stoppedEarly whether early stopping ended the run before {@code hyperparameters.epochs}
 */
public record TrainingResult(
    Evaluation evaluation,
    byte[] modelParameters,
    JsonObject preprocessing,
    List<String> labels,
    int epochsRun,
    boolean stoppedEarly,
    JsonObject modelSpec) {

  public TrainingResult {
    labels = List.copyOf(labels);
  }
}

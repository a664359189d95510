package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;

/**
 * Progress after one epoch. Losses are means per row of the training loss (softmax cross-entropy;
 * or, on the standardized target, the squared error for l2 and the absolute error for l1) without
 * the L1/L2 penalty, so the two compare. The training loss is averaged over the epoch's batches as
 * they were trained; the validation loss and the evaluation are of the weights at the epoch's end.
 *
 * @param epoch 1-based
 * @param epochs the most epochs the run will do (early stopping may end it sooner)
 * @param samplesPerSecond training throughput of the epoch: training rows over the seconds its
 *     batches took (forward, backward, update; not the validation pass)
 */
public record EpochReport(
    int epoch,
    int epochs,
    double trainingLoss,
    double validationLoss,
    Evaluation evaluation,
    double samplesPerSecond) {

  /**
   * The shape of a {@code progress} event: {@code {epoch, epochs, training_loss, validation_loss,
   * metrics, samples_per_second}} (the rate rounded to one decimal).
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("epoch", epoch)
        .put("epochs", epochs)
        .put("training_loss", trainingLoss)
        .put("validation_loss", validationLoss)
        .put("metrics", evaluation.summaryJson())
        .put("samples_per_second", Math.round(samplesPerSecond * 10) / 10.0);
  }
}

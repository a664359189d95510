package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonObject;

/**
 * One epoch of a training run, as jobs store it and event streams send it.
 *
 * @param epoch 1-based
 * @param epochs the most epochs the run will do (early stopping may end it sooner)
 * @param metrics the evaluation summary of the weights at the epoch's end
 */
public record EpochProgress(int epoch, int epochs, double trainingLoss, double validationLoss, JsonObject metrics) {

  static final Wire<EpochProgress> WIRE = new Wire<>(EpochProgress.class,
      (out, m) -> out.int32(m.epoch()).int32(m.epochs()).float64(m.trainingLoss()).float64(m.validationLoss()).json(m.metrics()),
      in -> new EpochProgress(in.int32(), in.int32(), in.float64(), in.float64(), in.jsonObject()));

  /** The shape of a {@code progress} event: {@code {epoch, epochs, training_loss, validation_loss, metrics}}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("epoch", epoch)
        .put("epochs", epochs)
        .put("training_loss", trainingLoss)
        .put("validation_loss", validationLoss)
        .put("metrics", metrics);
  }
}

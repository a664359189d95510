package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonArray;

/**
 * A worker's answer to a {@link PredictRequest}: the predictions in instance order, the version that
 * made them, and the instances of the forward pass the request ran in.
 */
public record PredictAnswer(JsonArray predictions, int version, int batchSize) {

  public static final Wire<PredictAnswer> WIRE = new Wire<>(PredictAnswer.class,
      (out, m) -> out.json(m.predictions()).int32(m.version()).int32(m.batchSize()),
      in -> new PredictAnswer(in.jsonArray(), in.int32(), in.int32()));
}

package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonArray;

/**
 * A worker's answer to an {@link ExplainRequest}: the method ({@code integrated_gradients} or
 * {@code saliency}), the steps used (0 for saliency), one explanation object per instance in
 * order, and the version that made them.
 */
public record ExplainAnswer(String method, int steps, JsonArray explanations, int version) {

  /** Tabular models: integrated gradients against the training-means baseline. */
  public static final String INTEGRATED_GRADIENTS = "integrated_gradients";

  /** Image models: the gradient's magnitude per pixel. */
  public static final String SALIENCY = "saliency";

  public static final Wire<ExplainAnswer> WIRE = new Wire<>(ExplainAnswer.class,
      (out, m) -> out.string(m.method()).int32(m.steps()).json(m.explanations()).int32(m.version()),
      in -> new ExplainAnswer(in.string(), in.int32(), in.jsonArray(), in.int32()));
}

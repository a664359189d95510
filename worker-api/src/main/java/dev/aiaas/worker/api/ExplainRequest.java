package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonArray;
import java.util.Objects;

/**
 * Sent to {@link ServingAddresses#explain(String)}: the instances as for {@link PredictRequest}, and
 * the integrated-gradients steps (tabular models; image models ignore it).
 */
public record ExplainRequest(JsonArray instances, int steps) {

  /** Steps when the request names none. */
  public static final int DEFAULT_STEPS = 50;

  /** Fewest steps a request may ask for. */
  public static final int MIN_STEPS = 10;

  /** Most steps a request may ask for: each step is one more row per instance in the gradient pass. */
  public static final int MAX_STEPS = 300;

  public ExplainRequest {
    Objects.requireNonNull(instances, "instances");
    if (steps < MIN_STEPS || steps > MAX_STEPS) {
      throw new IllegalArgumentException("steps must be in " + MIN_STEPS + ".." + MAX_STEPS + ", got " + steps);
    }
  }

  public static final Wire<ExplainRequest> WIRE = new Wire<>(ExplainRequest.class,
      (out, m) -> out.json(m.instances()).int32(m.steps()), in -> new ExplainRequest(in.jsonArray(), in.int32()));
}

package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonArray;
import java.util.Objects;

/**
 * Sent to {@link ServingAddresses#predict(String)}: the instances as the client sent them (tabular:
 * objects or arrays; images: {@code {b64}}). On one JVM the gateway's parsed array reaches the
 * batcher as is, never re-encoded.
 */
public record PredictRequest(JsonArray instances) {

  /** The body of a ping (a request with {@link ServingAddresses#PING_HEADER}), which predicts nothing. */
  public static final PredictRequest PING = new PredictRequest(new JsonArray());

  public PredictRequest {
    Objects.requireNonNull(instances, "instances");
  }

  public static final Wire<PredictRequest> WIRE =
      new Wire<>(PredictRequest.class, (out, m) -> out.json(m.instances()), in -> new PredictRequest(in.jsonArray()));
}

package dev.aiaas.worker.api;

import dev.aiaas.worker.training.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Why a worker refused a {@link PredictRequest} ({@link ServingAddresses#BAD_INSTANCES}): the
 * instances it could not encode, by field. An event-bus failure carries only text, so this record
 * is written to and read from that text here, in one place.
 */
public record BadInstances(List<FieldError> errors) {

  public BadInstances {
    errors = List.copyOf(errors);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("at least one error");
    }
  }

  /** The problem's {@code errors} array. */
  public JsonArray toJson() {
    JsonArray array = new JsonArray();
    errors.forEach(e -> array.add(e.toJson()));
    return array;
  }

  /** The failure message a worker sends. */
  public String toFailureMessage() {
    return new JsonObject().put("errors", toJson()).encode();
  }

  /** Reads what {@link #toFailureMessage()} wrote. */
  public static BadInstances fromFailureMessage(String message) {
    return new BadInstances(new JsonObject(message).getJsonArray("errors").stream()
        .map(JsonObject.class::cast)
        .map(e -> new FieldError(e.getString("field"), e.getString("message")))
        .toList());
  }
}

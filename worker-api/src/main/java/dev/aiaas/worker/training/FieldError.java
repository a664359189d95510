package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One invalid field of a request, named by its JSON path (e.g. {@code hyperparameters.epochs}),
 * with a message meant for the person who sent it (e.g. "must be between 1 and 1000").
 */
public record FieldError(String field, String message) {

  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  /** The shape of one entry of a problem's {@code errors} array. */
  public JsonObject toJson() {
    return new JsonObject().put("field", field).put("message", message);
  }
}

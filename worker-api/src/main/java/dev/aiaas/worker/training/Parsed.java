package dev.aiaas.worker.training;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating a request: either a value, or every error found (never both, never
 * neither), so a client can fix all of its mistakes in one round trip.
 */
public record Parsed<T>(T value, List<FieldError> errors) {

  public Parsed {
    errors = List.copyOf(errors);
    if ((value == null) == errors.isEmpty()) {
      throw new IllegalArgumentException("a Parsed holds a value or errors, not both or neither");
    }
  }

  public static <T> Parsed<T> of(T value) {
    return new Parsed<>(Objects.requireNonNull(value, "value"), List.of());
  }

  public static <T> Parsed<T> failed(List<FieldError> errors) {
    return new Parsed<>(null, errors);
  }

  public boolean isValid() {
    return value != null;
  }

  /** The value, or a {@link TrainingSpecException} carrying every error. */
  public T orElseThrow() {
    if (value == null) {
      throw new TrainingSpecException(errors);
    }
    return value;
  }
}

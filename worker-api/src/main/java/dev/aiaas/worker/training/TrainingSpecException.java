package dev.aiaas.worker.training;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A training request that cannot be run as asked (bad hyperparameters, a label the data set does
 * not have, too few rows...). Every error names its field; a client error, never a server one.
 */
public final class TrainingSpecException extends IllegalArgumentException {

  private final List<FieldError> errors;

  public TrainingSpecException(List<FieldError> errors) {
    super(describe(errors));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String describe(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a TrainingSpecException needs at least one error");
    }
    return errors.stream()
        .map(e -> e.field() + " " + e.message())
        .collect(Collectors.joining("; "));
  }
}

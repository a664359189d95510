package dev.aiaas.worker.training;

/** A value a feature column cannot take; names the column so an API error can point at the field. */
public final class BadValueException extends IllegalArgumentException {

  private final String column;

  public BadValueException(String column, String problem) {
    super("column '" + column + "' " + problem);
    this.column = column;
  }

  public String column() {
    return column;
  }
}

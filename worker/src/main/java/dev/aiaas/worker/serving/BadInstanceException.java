package dev.aiaas.worker.serving;

/** An instance the model cannot take; {@code field} is relative to the instance ("age", "b64", "[2]" or ""). */
public final class BadInstanceException extends IllegalArgumentException {

  private final String field;

  public BadInstanceException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}

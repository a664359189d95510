package dev.aiaas.crypto;

/**
 * The master key file is missing, unreadable, malformed, or does not match the database: the
 * operator must fix the deployment. The launcher prints the message alone, without a stack trace.
 */
public final class KeyFileException extends RuntimeException {

  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.aiaas.gateway;

/**
 * The platform cannot start for a reason the operator can fix (database unreachable, bad key
 * file, port taken). The launcher prints its message alone, without a stack trace.
 */
public final class StartupException extends RuntimeException {

  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}

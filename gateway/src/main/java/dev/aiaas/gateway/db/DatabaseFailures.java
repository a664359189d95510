package dev.aiaas.gateway.db;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.Locale;

/** Tells "PostgreSQL is unreachable or not accepting work right now" apart from other failures. */
public final class DatabaseFailures {

  private DatabaseFailures() {}

  /** Whether {@code failure} means the database is unavailable (so the client should retry later). */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P") || pg.getSqlState().equals("53300"))) {
        return true;
      }
      if (t instanceof ConnectException || t instanceof io.vertx.sqlclient.ClosedConnectionException
          || t.getClass().getName().equals("io.netty.channel.ConnectTimeoutException")) {
        return true;
      }
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("connection refused") || message.contains("timeout waiting for connection")
          || message.contains("connection is closed") || message.contains("failed to connect")) {
        return true;
      }
    }
    return false;
  }
}

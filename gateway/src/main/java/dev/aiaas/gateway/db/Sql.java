package dev.aiaas.gateway.db;

import io.vertx.pgclient.PgException;

/** Small helpers for reading PostgreSQL outcomes. */
public final class Sql {

  private Sql() {}

  /** Whether {@code failure} is a unique-constraint violation (SQLSTATE 23505). */
  public static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}

package dev.aiaas.gateway.db;

import io.vertx.pgclient.PgException;

/** Small helpers for reading PostgreSQL outcomes. */
public final class Sql {

  private Sql() {}

  /** Whether {@code failure} is a unique-constraint violation (SQLSTATE 23505). */
  public static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  /** Whether {@code failure} is a deadlock or serialization failure (SQLSTATE 40P01, 40001): retrying may succeed. */
  public static boolean isDeadlock(Throwable failure) {
    return failure instanceof PgException pg && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
  }
}

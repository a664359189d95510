package dev.aiaas.gateway.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The installation this database belongs to: created at the first start, the same on every start
 * after (the log shows it, so an operator sees at once whether the data survived a restart).
 */
public record Installation(UUID id, OffsetDateTime createdAt) {

  /** Reads the installation, creating it on first start. */
  public static Future<Installation> ensure(Pool pool) {
    return pool.preparedQuery("""
            INSERT INTO platform_installation (installation_id) VALUES ($1)
            ON CONFLICT (singleton) DO NOTHING""")
        .execute(Tuple.of(UUID.randomUUID()))
        .compose(ignored -> pool.query("SELECT installation_id, created_at FROM platform_installation").execute())
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Installation(row.getUUID("installation_id"), row.getOffsetDateTime("created_at"));
        });
  }
}

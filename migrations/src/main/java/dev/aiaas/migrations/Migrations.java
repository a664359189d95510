package dev.aiaas.migrations;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the platform's schema (the Flyway scripts in {@code db/migration}) to a PostgreSQL
 * database. Blocking JDBC: call it from a launcher thread or a worker thread, never an event loop.
 */
public final class Migrations {

  /** Classpath location of the SQL migrations, shared by every process that migrates. */
  public static final String LOCATION = "classpath:db/migration";

  private final Flyway flyway;

  private Migrations(Flyway flyway) {
    this.flyway = flyway;
  }

  /** Prepares migrations for the database at {@code jdbcUrl}; nothing is touched until {@link #migrate()}. */
  public static Migrations forDatabase(String jdbcUrl, String user, String password) {
    return new Migrations(
        Flyway.configure()
            .dataSource(jdbcUrl, user, password)
            .locations(LOCATION)
            // The schema is ours alone; a dirty or unknown history must stop the start, not be repaired silently.
            .validateMigrationNaming(true)
            .cleanDisabled(true)
            .connectRetries(0)
            .load());
  }

  /** Applies every pending migration; running it on an up-to-date database applies nothing. */
  public MigrationReport migrate() {
    MigrateResult result = flyway.migrate();
    return new MigrationReport(result.migrationsExecuted, currentVersion(), latestAvailableVersion());
  }

  /** The version the database is at, or {@code "none"} before the first migration. */
  public String currentVersion() {
    MigrationInfo current = flyway.info().current();
    return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
  }

  /** The newest version this build ships: what a fully migrated database reports. */
  public String latestAvailableVersion() {
    MigrationInfo[] all = flyway.info().all();
    for (int i = all.length - 1; i >= 0; i--) {
      if (all[i].getVersion() != null) {
        return all[i].getVersion().getVersion();
      }
    }
    return "none";
  }
}

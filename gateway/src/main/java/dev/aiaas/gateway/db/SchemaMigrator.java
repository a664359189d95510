package dev.aiaas.gateway.db;

import dev.aiaas.gateway.StartupException;
import dev.aiaas.migrations.MigrationReport;
import dev.aiaas.migrations.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Checks that PostgreSQL can be reached and brings its schema up to date. Blocking (JDBC): the
 * launcher runs it before the HTTP server exists. Failures become a {@link StartupException}
 * that tells the operator what is wrong, not a driver stack trace.
 */
public final class SchemaMigrator {

  private SchemaMigrator() {}

  public static MigrationReport migrate(DatabaseUrl url) {
    checkReachable(url);
    try {
      return Migrations.forDatabase(url.jdbcUrl(), url.user(), url.password()).migrate();
    } catch (RuntimeException e) {
      throw new StartupException("migrating the database at " + url + " failed: " + rootMessage(e), e);
    }
  }

  /** Connects once so the common mistakes (wrong host, password, database) get a plain message. */
  public static void checkReachable(DatabaseUrl url) {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    props.setProperty("password", url.password());
    props.setProperty("connectTimeout", "10");
    props.setProperty("loginTimeout", "15");
    try (Connection ignored = DriverManager.getConnection(url.jdbcUrl(), props)) {
      // reachable
    } catch (SQLException e) {
      throw new StartupException(explain(url, e), e);
    }
  }

  private static String explain(DatabaseUrl url, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = url.host() + ":" + url.port();
    if (state.startsWith("08")) {
      return "cannot reach PostgreSQL at " + where + " (" + rootMessage(e) + "); check AIAAS_DB_URL and that the server is running";
    }
    if (state.equals("28P01") || state.equals("28000")) {
      return "PostgreSQL at " + where + " refused the login of user '" + url.user() + "'; check the user and password in AIAAS_DB_URL";
    }
    if (state.equals("3D000")) {
      return "database '" + url.database() + "' does not exist on " + where + "; create it or fix AIAAS_DB_URL";
    }
    return "cannot connect to PostgreSQL at " + where + ": " + rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t == e ? message : e.getMessage() + " (" + message + ")";
  }
}

package dev.aiaas.gateway.testing;

import dev.aiaas.gateway.db.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server of a test run: {@code AIAAS_TEST_DB_URL} when set, else one embedded
 * server started on first use and stopped when the JVM exits. Each test class asks for a fresh
 * database on it, so classes never see each other's rows.
 */
public final class TestDatabases {

  private static final Object LOCK = new Object();
  private static DatabaseUrl server;

  private TestDatabases() {}

  /** A new, empty database on the test server. */
  public static DatabaseUrl freshDatabase() {
    DatabaseUrl admin = server();
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + admin, e);
    }
    return admin.withDatabase(name);
  }

  /** The test server itself (its maintenance database). */
  public static DatabaseUrl server() {
    synchronized (LOCK) {
      if (server == null) {
        String external = System.getenv("AIAAS_TEST_DB_URL");
        server = external != null && !external.isBlank() ? DatabaseUrl.parse(external) : startEmbedded();
      }
      return server;
    }
  }

  private static DatabaseUrl startEmbedded() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM is going away; the temporary cluster goes with it
        }
      }));
      return new DatabaseUrl("127.0.0.1", postgres.getPort(), "postgres", "postgres", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded test PostgreSQL", e);
    }
  }
}

package dev.aiaas.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  /** Verifies that a fresh database is brought to the newest version and a second run is a no-op. */
  @Test
  void migratesOnceAndSecondRunChangesNothing() throws Exception {
    String url = postgres.getJdbcUrl("postgres", "postgres");

    MigrationReport first = Migrations.forDatabase(url, "postgres", "").migrate();
    MigrationReport second = Migrations.forDatabase(url, "postgres", "").migrate();

    assertTrue(first.applied() >= 1, "first run applies the shipped migrations");
    assertTrue(first.upToDate());
    assertEquals(0, second.applied(), "second run applies nothing");
    assertEquals(first.currentVersion(), second.currentVersion());
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
      rs.next();
      assertEquals(first.applied(), rs.getInt(1), "each migration recorded exactly once");
    }
  }
}

package dev.aiaas.gateway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.testing.TestDatabases;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line as an operator uses it: help, version, migrate, and its errors. */
class LauncherIT {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** Verifies that --help lists the commands and the configuration settings, including the log level. */
  @Test
  void helpListsCommandsAndSettings() {
    assertEquals(0, run(Map.of(), "--help"));

    String help = out.toString();
    for (String expected : new String[] {"serve", "gateway", "worker", "migrate", "AIAAS_HTTP_PORT", "AIAAS_DB_URL", "AIAAS_WORKER_DEVICES", "AIAAS_LOG_LEVEL", "AIAAS_ACCESS_LOG", "AIAAS_MASTER_KEY_FILE", "keys", "--config"}) {
      assertTrue(help.contains(expected), "help mentions " + expected + ":\n" + help);
    }
  }

  /** Verifies that each subcommand has its own help. */
  @Test
  void subcommandHelp() {
    assertEquals(0, run(Map.of(), "gateway", "--help"));
    assertTrue(out.toString().contains("--cluster"));
    assertEquals(0, run(Map.of(), "worker", "--help"));
    assertTrue(out.toString().contains("AIAAS_DB_URL"), "the worker help says it needs the database");
    assertEquals(0, run(Map.of(), "keys", "rotate-master", "--help"));
    assertTrue(out.toString().contains("--new-key-file"), out.toString());
  }

  /** Verifies that --version names the product. */
  @Test
  void version() {
    assertEquals(0, run(Map.of(), "--version"));
    assertTrue(out.toString().startsWith("aiaas "));
  }

  /** Verifies that migrate applies the schema to an external database and a second run is a no-op. */
  @Test
  void migrateTwiceAgainstExternalDatabase() {
    DatabaseUrl db = TestDatabases.freshDatabase();
    Map<String, String> env = Map.of("AIAAS_DB_URL", db.toUrlWithPassword());

    assertEquals(0, run(env, "migrate"), err.toString());
    java.util.regex.Matcher first = java.util.regex.Pattern.compile("(\\d+) migration\\(s\\) applied, schema at version (\\d+)").matcher(out.toString());
    assertTrue(first.find(), out.toString());
    assertTrue(Integer.parseInt(first.group(1)) >= 1, "a fresh database gets every migration");
    String version = first.group(2);
    assertEquals(0, run(env, "migrate"), err.toString());
    assertTrue(out.toString().contains("0 migration(s) applied, schema at version " + version), out.toString());
  }

  /** Verifies that an unreachable server is one clear line and exit code 1, not a stack trace. */
  @Test
  void unreachableDatabaseIsClearError() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    int code = run(Map.of("AIAAS_DB_URL", "postgresql://app:pw@127.0.0.1:" + closedPort + "/aiaas"), "migrate");

    assertEquals(1, code);
    assertTrue(err.toString().startsWith("aiaas: cannot reach PostgreSQL at 127.0.0.1:" + closedPort), err.toString());
    assertFalse(err.toString().contains("\tat "), "no stack trace");
    assertFalse(err.toString().contains("pw@"), "no password");
  }

  /** Verifies that a missing database on a reachable server is named. */
  @Test
  void missingDatabaseIsNamed() {
    DatabaseUrl missing = TestDatabases.server().withDatabase("no_such_db");

    assertEquals(1, run(Map.of("AIAAS_DB_URL", missing.toUrlWithPassword()), "migrate"));
    assertTrue(err.toString().contains("database 'no_such_db' does not exist"), err.toString());
  }

  /** Verifies that a malformed URL fails before any connection attempt, naming the setting. */
  @Test
  void malformedUrlNamesSetting() {
    assertEquals(1, run(Map.of("AIAAS_DB_URL", "localhost:5432"), "migrate"));
    assertTrue(err.toString().startsWith("aiaas: AIAAS_DB_URL:"), err.toString());
  }

  /** Verifies that an invalid setting stops serve before anything starts. */
  @Test
  void invalidSettingStopsServe() {
    assertEquals(1, run(Map.of("AIAAS_HTTP_PORT", "-5"), "serve"));
    assertTrue(err.toString().startsWith("aiaas: AIAAS_HTTP_PORT:"), err.toString());
  }
}

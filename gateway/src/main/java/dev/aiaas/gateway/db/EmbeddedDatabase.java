package dev.aiaas.gateway.db;

import dev.aiaas.gateway.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run by the platform itself (the laptop mode): its binaries come from a
 * jar on the classpath, its data lives in a directory that survives restarts, and it listens on
 * loopback only. The platform's tables live in the database {@value #DATABASE}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** The database the platform uses inside the embedded server. */
  public static final String DATABASE = "aiaas";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /** Starts the server on {@code dataDir} (initialising it on first use). Blocking. */
  public static EmbeddedDatabase start(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      stopLeftoverServer(dataDir);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setServerConfig("listen_addresses", "127.0.0.1")
          // The library defaults to asynchronous commit, which can lose acknowledged commits (metered
          // usage among them) if the machine crashes; the platform promises they survive.
          .setServerConfig("synchronous_commit", "on")
          // We stop it ourselves, after the HTTP server has drained, not in an arbitrary hook order.
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
      createPlatformDatabase(postgres);
      return new EmbeddedDatabase(postgres, dataDir);
    } catch (IOException | SQLException e) {
      throw new StartupException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static void createPlatformDatabase(EmbeddedPostgres postgres) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          try (Statement create = c.createStatement()) {
            create.execute("CREATE DATABASE " + DATABASE);
          }
        }
      }
    }
  }

  /**
   * A platform killed with SIGKILL leaves its PostgreSQL running, holding the data directory. Ask
   * that server to shut down (SIGTERM: smart shutdown, it finishes cleanly) before starting anew.
   */
  private static void stopLeftoverServer(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    Optional<ProcessHandle> leftover = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0)).flatMap(ProcessHandle::of);
    leftover.filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(cmd -> cmd.contains("postgres")).orElse(false))
        .ifPresent(p -> {
          LOG.warn("stopping a PostgreSQL (pid {}) left running on {} by an earlier run", p.pid(), dataDir);
          p.destroy();
          try {
            p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new StartupException("a PostgreSQL (pid " + p.pid() + ") still holds " + dataDir + "; stop it and retry", e);
          }
        });
  }

  /**
   * The embedded server already running on {@code dataDir} (a platform is up, or one killed with
   * SIGKILL left it), read from its {@code postmaster.pid}: commands that only need the database
   * use it as it is instead of stopping it under a running platform.
   */
  public static Optional<DatabaseUrl> running(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      // postmaster.pid: pid, data directory, start time, port, ... (one per line)
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.size() < 4) {
        return Optional.empty();
      }
      boolean alive = parsePid(lines.get(0)).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(cmd -> cmd.contains("postgres")).orElse(false)).isPresent();
      return alive ? parsePid(lines.get(3)).map(port -> new DatabaseUrl("127.0.0.1", port.intValue(), DATABASE, "postgres", ""))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> parsePid(String line) {
    try {
      return Optional.of(Long.parseLong(line.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** How to connect: loopback, the server's port, the platform database, the superuser. */
  public DatabaseUrl url() {
    return new DatabaseUrl("127.0.0.1", postgres.getPort(), DATABASE, "postgres", "");
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the server cleanly (a fast shutdown that checkpoints). Blocking. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}

package dev.aiaas.gateway.encryption;

import dev.aiaas.crypto.KeyFileException;
import dev.aiaas.crypto.MasterKey;
import dev.aiaas.gateway.StartupException;
import dev.aiaas.gateway.db.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * {@code aiaas keys rotate-master}: re-wraps every tenant's data key under a new master key without
 * touching the data, then swaps the key file. Safe to interrupt and re-run: the new key waits in
 * {@code <key file>.new}, the database records the rotation ({@code master_key_state.rotating_to}),
 * and each small transaction re-wraps only rows still under the old key's id. Runs in the
 * command-line process with plain JDBC, while every node is stopped.
 */
public final class MasterKeyRotation {

  /** Data keys re-wrapped per transaction. */
  static final int BATCH = 50;

  /**
   * What a run did.
   *
   * @param finished false when the run stopped at {@code maxRows} (then the key file is unchanged)
   */
  public record Result(String fromKeyId, String toKeyId, int rewrapped, boolean finished, Path oldKeyFile) {}

  /** Rotates completely: see {@link #rotate(DatabaseUrl, Path, Optional, int)}. */
  public Result rotate(DatabaseUrl url, Path keyFile, Optional<Path> newKeyFile) {
    return rotate(url, keyFile, newKeyFile, Integer.MAX_VALUE);
  }

  /**
   * Rotates from the key in {@code keyFile} to the one in {@code newKeyFile} (or a generated one),
   * re-wrapping at most {@code maxRows} data keys in this run; only a run that re-wraps the last
   * one swaps the files. Blocking.
   */
  public Result rotate(DatabaseUrl url, Path keyFile, Optional<Path> newKeyFile, int maxRows) {
    MasterKey current = keyFile(() -> MasterKey.load(keyFile));
    Path pending = sibling(keyFile, ".new");
    MasterKey next = keyFile(() -> prepareNewKey(pending, newKeyFile));
    if (next.id().equals(current.id())) {
      throw new StartupException("the new master key is the current one (" + current.id() + "); give another key file");
    }
    Properties props = new Properties();
    props.setProperty("user", url.user());
    props.setProperty("password", url.password());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props)) {
      c.setAutoCommit(false);
      boolean alreadyFlipped = begin(c, current, next);
      int rewrapped = 0;
      if (!alreadyFlipped) {
        while (rewrapped < maxRows) {
          int n = rewrapBatch(c, current, next, Math.min(BATCH, maxRows - rewrapped));
          if (n == 0) {
            break;
          }
          rewrapped += n;
        }
        if (!flip(c, current, next)) {
          return new Result(current.id(), next.id(), rewrapped, false, sibling(keyFile, ".old"));
        }
      }
      Path old = swapFiles(keyFile, pending);
      return new Result(current.id(), next.id(), rewrapped, true, old);
    } catch (SQLException e) {
      throw new StartupException("cannot rotate the master key in " + url + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StartupException(MasterKey.SETTING + ": cannot swap " + keyFile + " for the new key: " + e.getMessage()
          + " (the database already uses the new key in " + pending + "; run the command again)", e);
    }
  }

  /** The new key: kept in {@code pending} so an interrupted run resumes with the same one. */
  private static MasterKey prepareNewKey(Path pending, Optional<Path> given) throws IOException {
    if (given.isPresent()) {
      MasterKey supplied = MasterKey.load(given.get());
      if (Files.exists(pending)) {
        MasterKey waiting = MasterKey.load(pending);
        if (!waiting.id().equals(supplied.id())) {
          throw new KeyFileException(MasterKey.SETTING + ": an interrupted rotation left master key " + waiting.id() + " in "
              + pending + "; re-run without --new-key-file (or with that key) to finish it");
        }
        return waiting;
      }
      Path tmp = Files.createTempFile(pending.toAbsolutePath().getParent(), "master-key-", ".tmp");
      ownerOnly(tmp);
      Files.copy(given.get(), tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, pending, StandardCopyOption.ATOMIC_MOVE);
      return MasterKey.load(pending);
    }
    MasterKey.createIfAbsent(pending);
    return MasterKey.load(pending);
  }

  /**
   * Records the rotation; true if an earlier run already re-wrapped everything and flipped the
   * database (only the file swap is left).
   */
  private static boolean begin(Connection c, MasterKey current, MasterKey next) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO master_key_state (key_id) VALUES (?) ON CONFLICT DO NOTHING");
        PreparedStatement read = c.prepareStatement("SELECT key_id, rotating_to FROM master_key_state FOR UPDATE")) {
      insert.setString(1, current.id());
      insert.executeUpdate();
      String keyId;
      String rotatingTo;
      try (ResultSet rs = read.executeQuery()) {
        rs.next();
        keyId = rs.getString(1);
        rotatingTo = rs.getString(2);
      }
      if (keyId.equals(next.id()) && rotatingTo == null) {
        c.commit();
        return true;
      }
      if (!keyId.equals(current.id())) {
        c.rollback();
        throw new KeyFileException(MasterKey.SETTING + ": the key file holds master key " + current.id()
            + ", but this database's data keys are wrapped by master key " + keyId + "; rotate from that key file");
      }
      if (rotatingTo != null && !rotatingTo.equals(next.id())) {
        c.rollback();
        throw new KeyFileException(MasterKey.SETTING + ": an interrupted rotation to master key " + rotatingTo
            + " is unfinished, but the new key given is " + next.id() + "; finish it with that key file");
      }
      try (PreparedStatement mark = c.prepareStatement("UPDATE master_key_state SET rotating_to = ?, updated_at = now()")) {
        mark.setString(1, next.id());
        mark.executeUpdate();
      }
      c.commit();
      return false;
    }
  }

  /** Re-wraps up to {@code limit} data keys still under the old key, in one small transaction. */
  private static int rewrapBatch(Connection c, MasterKey current, MasterKey next, int limit) throws SQLException {
    record Wrapped(UUID tenantId, byte[] wrapped) {}
    List<Wrapped> rows = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement(
        "SELECT tenant_id, wrapped FROM tenant_data_keys WHERE master_key_id = ? ORDER BY tenant_id LIMIT ? FOR UPDATE")) {
      select.setString(1, current.id());
      select.setInt(2, limit);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.add(new Wrapped(rs.getObject(1, UUID.class), rs.getBytes(2)));
        }
      }
    }
    try (PreparedStatement update = c.prepareStatement("""
        UPDATE tenant_data_keys SET master_key_id = ?, wrapped = ?, rewrapped_at = now()
        WHERE tenant_id = ? AND master_key_id = ?""")) {
      for (Wrapped row : rows) {
        SecretKey dataKey = keyFile(() -> current.unwrap(row.tenantId(), row.wrapped()));
        update.setString(1, next.id());
        update.setBytes(2, next.wrap(row.tenantId(), dataKey));
        update.setObject(3, row.tenantId());
        update.setString(4, current.id());
        update.addBatch();
      }
      update.executeBatch();
    }
    c.commit();
    return rows.size();
  }

  /** Makes the new key the database's, once no data key is left under the old one; false if some are. */
  private static boolean flip(Connection c, MasterKey current, MasterKey next) throws SQLException {
    try (PreparedStatement flip = c.prepareStatement("""
        UPDATE master_key_state SET key_id = ?, rotating_to = NULL, updated_at = now()
        WHERE key_id = ? AND NOT EXISTS (SELECT 1 FROM tenant_data_keys WHERE master_key_id <> ?)""")) {
      flip.setString(1, next.id());
      flip.setString(2, current.id());
      flip.setString(3, next.id());
      boolean flipped = flip.executeUpdate() == 1;
      c.commit();
      return flipped;
    }
  }

  /** Keeps the old key as {@code <file>.old}, then moves the new key over the file in one atomic rename. */
  private static Path swapFiles(Path keyFile, Path pending) throws IOException {
    Path old = sibling(keyFile, ".old");
    if (Files.exists(pending)) {
      Path tmp = Files.createTempFile(keyFile.toAbsolutePath().getParent(), "master-key-", ".tmp");
      ownerOnly(tmp);
      Files.copy(keyFile, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, old, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.move(pending, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return old;
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // not a POSIX file system: its own access control applies
    }
  }

  private static Path sibling(Path keyFile, String suffix) {
    return keyFile.resolveSibling(keyFile.getFileName() + suffix);
  }

  /** Key-file problems, as the one-line operator error the launcher prints. */
  private static <T> T keyFile(KeyStep<T> step) {
    try {
      return step.run();
    } catch (KeyFileException e) {
      throw new StartupException(e.getMessage(), e);
    } catch (IOException e) {
      throw new StartupException(MasterKey.SETTING + ": " + e.getMessage(), e);
    }
  }

  private interface KeyStep<T> {
    T run() throws IOException;
  }
}

package dev.aiaas.gateway.users;

import dev.aiaas.gateway.StartupException;
import dev.aiaas.gateway.auth.DatabaseSessionEndings;
import dev.aiaas.gateway.auth.Hashing;
import dev.aiaas.gateway.auth.PasswordHasher;
import dev.aiaas.gateway.db.DatabaseUrl;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * {@code aiaas admin reset-password}: gives an account (typically the platform admin whose
 * generated password was missed) a new generated password, ends all its sessions and audits it,
 * in one transaction. Runs in the command-line process with plain JDBC: blocking is fine there.
 */
public final class PasswordReset {

  private final PasswordHasher hasher = new PasswordHasher();

  /** Resets the password of {@code email} in the database at {@code url}; returns the new password. */
  public String reset(DatabaseUrl url, String email) {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    props.setProperty("password", url.password());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props)) {
      c.setAutoCommit(false);
      UUID userId;
      UUID tenantId;
      try (PreparedStatement find = c.prepareStatement("""
          SELECT u.id, m.tenant_id FROM users u LEFT JOIN memberships m ON m.user_id = u.id
          WHERE lower(u.email) = lower(?) FOR UPDATE OF u""")) {
        find.setString(1, email);
        try (ResultSet rs = find.executeQuery()) {
          if (!rs.next()) {
            throw new StartupException("no account with email " + email + " in " + url);
          }
          userId = rs.getObject(1, UUID.class);
          tenantId = rs.getObject(2, UUID.class);
        }
      }
      String password = Hashing.randomToken(18);
      try (PreparedStatement update = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
        update.setString(1, hasher.hash(password));
        update.setObject(2, userId);
        update.executeUpdate();
      }
      List<UUID> ended = new ArrayList<>();
      try (PreparedStatement end = c.prepareStatement(
          "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = ? AND revoked_at IS NULL RETURNING family_id");
          PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        end.setObject(1, userId);
        try (ResultSet rs = end.executeQuery()) {
          while (rs.next()) {
            UUID family = rs.getObject(1, UUID.class);
            if (!ended.contains(family)) {
              ended.add(family);
            }
          }
        }
        // Delivered at commit to every gateway listening, so the sessions end there at once.
        for (String payload : DatabaseSessionEndings.payloads(ended)) {
          notify.setString(1, DatabaseSessionEndings.CHANNEL);
          notify.setString(2, payload);
          notify.executeQuery().close();
        }
      }
      int sessions = ended.size();
      try (PreparedStatement audit = c.prepareStatement("""
          INSERT INTO audit_log (tenant_id, actor_type, action, target, details) VALUES (?, 'system', 'user.password_reset', ?, ?::jsonb)""")) {
        audit.setObject(1, tenantId);
        audit.setString(2, "user:" + userId);
        audit.setString(3, new JsonObject().put("email", email).put("via", "command line").put("sessions_ended", sessions).encode());
        audit.executeUpdate();
      }
      c.commit();
      return password;
    } catch (SQLException e) {
      throw new StartupException("cannot reset the password in " + url + ": " + e.getMessage(), e);
    }
  }
}

package dev.aiaas.gateway.users;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for console accounts, their tenant memberships and the platform admins. */
public final class UserStore {

  private static final String ACCOUNT = """
      SELECT u.id, u.email, u.password_hash, m.tenant_id, m.role, (pa.user_id IS NOT NULL) AS platform_admin
      FROM users u
      LEFT JOIN memberships m ON m.user_id = u.id
      LEFT JOIN platform_admins pa ON pa.user_id = u.id
      """;

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Account>> byEmail(String email) {
    return pool.preparedQuery(ACCOUNT + " WHERE lower(u.email) = lower($1)").execute(Tuple.of(email)).map(UserStore::account);
  }

  public Future<Optional<Account>> byId(UUID id) {
    return pool.preparedQuery(ACCOUNT + " WHERE u.id = $1").execute(Tuple.of(id)).map(UserStore::account);
  }

  /** Creates a user in a tenant; a unique violation if the email is taken. */
  public Future<UUID> insertTenantUser(SqlClient client, UUID tenantId, String email, String passwordHash, String role) {
    UUID id = UUID.randomUUID();
    return insertUser(client, id, email, passwordHash)
        .compose(ignored -> client.preparedQuery("INSERT INTO memberships (user_id, tenant_id, role) VALUES ($1, $2, $3)")
            .execute(Tuple.of(id, tenantId, role)))
        .map(id);
  }

  public Future<UUID> insertPlatformAdmin(SqlClient client, String email, String passwordHash) {
    UUID id = UUID.randomUUID();
    return insertUser(client, id, email, passwordHash)
        .compose(ignored -> client.preparedQuery("INSERT INTO platform_admins (user_id) VALUES ($1)").execute(Tuple.of(id)))
        .map(id);
  }

  /** Replaces a user's password hash; false if there is no such user. */
  public Future<Boolean> updatePasswordHash(SqlClient client, UUID id, String passwordHash) {
    return client.preparedQuery("UPDATE users SET password_hash = $2 WHERE id = $1").execute(Tuple.of(id, passwordHash))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> anyPlatformAdmin() {
    return pool.query("SELECT EXISTS (SELECT 1 FROM platform_admins)").execute().map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * The roles of a tenant's members by user id, locking their memberships until the transaction
   * ends, so two concurrent removals cannot both see another owner left.
   */
  public Future<java.util.Map<UUID, String>> lockMemberRoles(SqlClient client, UUID tenantId) {
    return client.preparedQuery("SELECT user_id, role FROM memberships WHERE tenant_id = $1 FOR UPDATE")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          java.util.Map<UUID, String> roles = new java.util.HashMap<>();
          rows.forEach(r -> roles.put(r.getUUID("user_id"), r.getString("role")));
          return roles;
        });
  }

  public Future<Void> setRole(SqlClient client, UUID tenantId, UUID userId, String role) {
    return client.preparedQuery("UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2")
        .execute(Tuple.of(tenantId, userId, role)).mapEmpty();
  }

  /** Ends every live session of a user (its refresh token families); returns the sessions ended. */
  public Future<java.util.Set<UUID>> endSessions(SqlClient client, UUID userId) {
    return client.preparedQuery("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING family_id")
        .execute(Tuple.of(userId))
        .map(rows -> {
          java.util.Set<UUID> families = new java.util.HashSet<>();
          rows.forEach(r -> families.add(r.getUUID("family_id")));
          return families;
        });
  }

  /** Deletes a tenant's user (membership and refresh tokens go with it; API keys it created stay, creator unset). */
  public Future<Void> deleteTenantUser(SqlClient client, UUID tenantId, UUID userId) {
    return client.preparedQuery("DELETE FROM users u USING memberships m WHERE u.id = $2 AND m.user_id = u.id AND m.tenant_id = $1")
        .execute(Tuple.of(tenantId, userId)).mapEmpty();
  }

  public Future<List<JsonObject>> listTenantUsers(UUID tenantId) {
    return pool.preparedQuery("""
            SELECT u.id, u.email, m.role, u.created_at FROM users u JOIN memberships m ON m.user_id = u.id
            WHERE m.tenant_id = $1 ORDER BY u.created_at""")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<JsonObject> users = new ArrayList<>();
          for (Row r : rows) {
            users.add(new JsonObject().put("id", r.getUUID("id").toString()).put("email", r.getString("email"))
                .put("role", r.getString("role")).put("tenant_id", tenantId.toString())
                .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString()));
          }
          return users;
        });
  }

  private static Future<RowSet<Row>> insertUser(SqlClient client, UUID id, String email, String passwordHash) {
    return client.preparedQuery("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)").execute(Tuple.of(id, email, passwordHash));
  }

  private static Optional<Account> account(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row r = rows.iterator().next();
    return Optional.of(new Account(r.getUUID("id"), r.getString("email"), r.getString("password_hash"),
        Optional.ofNullable(r.getUUID("tenant_id")), Optional.ofNullable(r.getString("role")), r.getBoolean("platform_admin")));
  }
}

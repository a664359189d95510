package dev.aiaas.gateway.users;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  private static final String MEMBER = """
      SELECT u.id, u.email, m.tenant_id, m.role, u.created_at, u.last_login_at
      FROM users u JOIN memberships m ON m.user_id = u.id""";

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

  /** Notes a successful sign-in, for the Team page's "last sign-in". */
  public Future<Void> recordLogin(SqlClient client, UUID id) {
    return client.preparedQuery("UPDATE users SET last_login_at = now() WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * The tenant's members and roles, locked until the transaction ends: two owners demoting or
   * removing each other at once are decided one after the other, so one owner always remains.
   */
  public Future<Map<UUID, String>> lockMembers(SqlClient client, UUID tenantId) {
    return client.preparedQuery("SELECT user_id, role FROM memberships WHERE tenant_id = $1 ORDER BY user_id FOR UPDATE")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          Map<UUID, String> members = new HashMap<>();
          rows.forEach(r -> members.put(r.getUUID("user_id"), r.getString("role")));
          return members;
        });
  }

  public Future<Void> updateRole(SqlClient client, UUID tenantId, UUID userId, String role) {
    return client.preparedQuery("UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2")
        .execute(Tuple.of(tenantId, userId, role)).mapEmpty();
  }

  /** Deletes a member of the tenant with everything of theirs that cascades (membership, refresh tokens). */
  public Future<Void> deleteMember(SqlClient client, UUID tenantId, UUID userId) {
    return client.preparedQuery("""
            DELETE FROM users u USING memberships m
            WHERE u.id = $2 AND m.user_id = u.id AND m.tenant_id = $1""")
        .execute(Tuple.of(tenantId, userId)).mapEmpty();
  }

  /** One member of the tenant as listed; empty for a user of another tenant or none. */
  public Future<Optional<JsonObject>> member(UUID tenantId, UUID userId) {
    return pool.preparedQuery(MEMBER + " WHERE m.tenant_id = $1 AND u.id = $2")
        .execute(Tuple.of(tenantId, userId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(member(rows.iterator().next())));
  }

  private static JsonObject member(Row r) {
    OffsetDateTime lastLogin = r.getOffsetDateTime("last_login_at");
    return new JsonObject().put("id", r.getUUID("id").toString()).put("email", r.getString("email"))
        .put("role", r.getString("role")).put("tenant_id", r.getUUID("tenant_id").toString())
        .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString())
        .put("last_login_at", lastLogin == null ? null : lastLogin.toInstant().toString());
  }

  public Future<Boolean> anyPlatformAdmin() {
    return pool.query("SELECT EXISTS (SELECT 1 FROM platform_admins)").execute().map(rows -> rows.iterator().next().getBoolean(0));
  }

  public Future<List<JsonObject>> listTenantUsers(UUID tenantId) {
    return pool.preparedQuery(MEMBER + " WHERE m.tenant_id = $1 ORDER BY u.created_at")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<JsonObject> users = new ArrayList<>();
          for (Row r : rows) {
            users.add(member(r));
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

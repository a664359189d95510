package dev.aiaas.gateway.keys;

import dev.aiaas.gateway.auth.KeyScope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for API keys. Secrets are never stored: only their SHA-256. */
public final class ApiKeyStore {

  private static final String COLUMNS = "id, tenant_id, name, prefix, scopes, expires_at, created_at, revoked_at, last_used_at";

  private final Pool pool;

  public ApiKeyStore(Pool pool) {
    this.pool = pool;
  }

  /** What the authenticator needs to know about a presented key. */
  public record KeyGrant(UUID id, UUID tenantId, List<KeyScope> scopes, Optional<Instant> expiresAt, boolean revoked) {}

  public Future<ApiKey> insert(SqlClient client, UUID tenantId, String name, String prefix, byte[] secretHash, List<KeyScope> scopes,
      Optional<Instant> expiresAt, Optional<UUID> createdBy) {
    return client.preparedQuery("INSERT INTO api_keys (id, tenant_id, name, prefix, secret_hash, scopes, expires_at, created_by)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {UUID.randomUUID(), tenantId, name, prefix, io.vertx.core.buffer.Buffer.buffer(secretHash),
            scopes.stream().map(KeyScope::wireName).toArray(String[]::new), expiresAt.map(ApiKeyStore::utc).orElse(null),
            createdBy.orElse(null)}))
        .map(rows -> key(rows.iterator().next()));
  }

  public Future<List<ApiKey>> list(UUID tenantId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = $1 ORDER BY created_at")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<ApiKey> keys = new ArrayList<>();
          rows.forEach(r -> keys.add(key(r)));
          return keys;
        });
  }

  /** Revokes the tenant's key; empty if the tenant has no such key (another tenant's key looks absent). */
  public Future<Optional<ApiKey>> revoke(SqlClient client, UUID tenantId, UUID id) {
    return client.preparedQuery("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(key(rows.iterator().next())));
  }

  public Future<Optional<KeyGrant>> grantByHash(byte[] secretHash) {
    return pool.preparedQuery("SELECT id, tenant_id, scopes, expires_at, revoked_at FROM api_keys WHERE secret_hash = $1")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(secretHash)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new KeyGrant(r.getUUID("id"), r.getUUID("tenant_id"), scopes(r),
              Optional.ofNullable(r.getOffsetDateTime("expires_at")).map(OffsetDateTime::toInstant), r.getValue("revoked_at") != null));
        });
  }

  /** Records when keys were last used, many keys in one statement. */
  public Future<Void> touch(Map<UUID, Instant> lastUsed) {
    if (lastUsed.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] ids = lastUsed.keySet().toArray(UUID[]::new);
    OffsetDateTime[] times = Arrays.stream(ids).map(id -> utc(lastUsed.get(id))).toArray(OffsetDateTime[]::new);
    return pool.preparedQuery("""
            UPDATE api_keys k SET last_used_at = greatest(k.last_used_at, u.used_at)
            FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, used_at) WHERE k.id = u.id""")
        .execute(Tuple.tuple().addValue(ids).addValue(times))
        .mapEmpty();
  }

  private static ApiKey key(Row r) {
    return new ApiKey(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("name"), r.getString("prefix"), scopes(r),
        Optional.ofNullable(r.getOffsetDateTime("expires_at")).map(OffsetDateTime::toInstant),
        r.getOffsetDateTime("created_at").toInstant(),
        Optional.ofNullable(r.getOffsetDateTime("revoked_at")).map(OffsetDateTime::toInstant),
        Optional.ofNullable(r.getOffsetDateTime("last_used_at")).map(OffsetDateTime::toInstant));
  }

  private static List<KeyScope> scopes(Row r) {
    return Arrays.stream(r.getArrayOfStrings("scopes")).map(KeyScope::fromWire).toList();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}

package dev.aiaas.gateway.idempotency;

import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for idempotency keys: claim a key, store the response, replay it. A tenant's response (a
 * predict answer quotes its data) is stored sealed under the tenant's data key.
 */
final class IdempotencyStore {

  /** A placeholder older than this belongs to a request that died; a retry may take it over. */
  static final String ABANDONED_AFTER = "60 seconds";

  private static final String TENANT_SCOPE = "tenant:";

  private final Pool pool;
  private final DataKeys keys;

  IdempotencyStore(Pool pool, DataKeys keys) {
    this.pool = pool;
    this.keys = keys;
  }

  /** The scope of a tenant's requests (the rest, a platform admin's own, are not tenant data). */
  static String tenantScope(UUID tenantId) {
    return TENANT_SCOPE + tenantId;
  }

  /** What an earlier request with the key left. */
  record Earlier(byte[] requestHash, Optional<Integer> status, Optional<String> body) {}

  /** Claims the key for this request; true if it is ours (new, or taken over from a dead request). */
  Future<Boolean> claim(String scope, String key, byte[] requestHash) {
    return pool.preparedQuery("""
            INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
            ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now()
              WHERE idempotency_keys.status IS NULL AND idempotency_keys.created_at < now() - interval '%s'
                AND idempotency_keys.request_hash = EXCLUDED.request_hash
            RETURNING 1""".formatted(ABANDONED_AFTER))
        .execute(Tuple.of(scope, key, Buffer.buffer(requestHash)))
        .map(rows -> rows.size() == 1);
  }

  Future<Optional<Earlier>> earlier(String scope, String key) {
    return pool.preparedQuery("SELECT request_hash, status, response_body, response_nonce, response_sealed FROM idempotency_keys"
            + " WHERE scope = $1 AND key = $2")
        .execute(Tuple.of(scope, key))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.empty());
          }
          Row r = rows.iterator().next();
          Buffer sealed = r.getBuffer("response_sealed");
          // A response kept before sealing (schema version 22), or a platform admin's, is stored as it is.
          Future<Optional<String>> body = sealed == null || tenantOf(scope).isEmpty()
              ? Future.succeededFuture(Optional.ofNullable(r.getString("response_body")))
              : keys.open(aad(tenantOf(scope).get(), key), r.getBuffer("response_nonce"), sealed).map(plain -> Optional.of(plain.toString()));
          return body.map(b -> Optional.of(new Earlier(r.getBuffer("request_hash").getBytes(), Optional.ofNullable(r.getInteger("status")), b)));
        });
  }

  Future<Void> complete(String scope, String key, int status, String body) {
    Optional<UUID> tenant = tenantOf(scope);
    if (body == null || tenant.isEmpty()) {
      return pool.preparedQuery("UPDATE idempotency_keys SET status = $3, response_body = $4 WHERE scope = $1 AND key = $2")
          .execute(Tuple.of(scope, key, status, body)).mapEmpty();
    }
    return keys.seal(aad(tenant.get(), key), body.getBytes(StandardCharsets.UTF_8))
        .compose(sealed -> pool.preparedQuery("UPDATE idempotency_keys SET status = $3, response_body = NULL, response_nonce = $4,"
                + " response_sealed = $5 WHERE scope = $1 AND key = $2")
            .execute(Tuple.of(scope, key, status, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.data()))))
        .mapEmpty();
  }

  /** Bound to the tenant and the key, so a sealed response moved to another key or tenant fails to open. */
  private static ChunkAad aad(UUID tenantId, String key) {
    UUID object = UUID.nameUUIDFromBytes(("idempotency-key\n" + key).getBytes(StandardCharsets.UTF_8));
    return new ChunkAad(ChunkAad.IDEMPOTENT_RESPONSE, tenantId, object, 0, true);
  }

  private static Optional<UUID> tenantOf(String scope) {
    return scope.startsWith(TENANT_SCOPE) ? Optional.of(UUID.fromString(scope.substring(TENANT_SCOPE.length()))) : Optional.empty();
  }

  /** Frees the key of a request that failed, so a retry runs afresh. */
  Future<Void> release(String scope, String key) {
    return pool.preparedQuery("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL")
        .execute(Tuple.of(scope, key)).mapEmpty();
  }

  Future<Void> expire() {
    return pool.query("DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'").execute().mapEmpty();
  }
}

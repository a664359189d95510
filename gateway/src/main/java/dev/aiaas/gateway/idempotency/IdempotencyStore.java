package dev.aiaas.gateway.idempotency;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** SQL for idempotency keys: claim a key, store the response, replay it. */
final class IdempotencyStore {

  /** A placeholder older than this belongs to a request that died; a retry may take it over. */
  static final String ABANDONED_AFTER = "60 seconds";

  private final Pool pool;

  IdempotencyStore(Pool pool) {
    this.pool = pool;
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
    return pool.preparedQuery("SELECT request_hash, status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2")
        .execute(Tuple.of(scope, key))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Earlier(r.getBuffer("request_hash").getBytes(), Optional.ofNullable(r.getInteger("status")),
              Optional.ofNullable(r.getString("response_body"))));
        });
  }

  Future<Void> complete(String scope, String key, int status, String body) {
    return pool.preparedQuery("UPDATE idempotency_keys SET status = $3, response_body = $4 WHERE scope = $1 AND key = $2")
        .execute(Tuple.of(scope, key, status, body)).mapEmpty();
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

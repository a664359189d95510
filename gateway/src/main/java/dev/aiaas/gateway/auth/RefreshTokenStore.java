package dev.aiaas.gateway.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** SQL for refresh tokens, stored as SHA-256 hashes and grouped in rotation families. */
final class RefreshTokenStore {

  /** A stored token's state, locked for the rotation that reads it. */
  record StoredToken(UUID id, UUID familyId, UUID userId, Instant expiresAt, boolean rotated, boolean revoked) {}

  Future<Void> insert(SqlClient client, UUID familyId, UUID userId, byte[] hash, Instant expiresAt) {
    return client.preparedQuery("INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(UUID.randomUUID(), familyId, userId, io.vertx.core.buffer.Buffer.buffer(hash), expiresAt.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  Future<Optional<StoredToken>> lockByHash(SqlClient client, byte[] hash) {
    return client.preparedQuery("SELECT id, family_id, user_id, expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new StoredToken(r.getUUID("id"), r.getUUID("family_id"), r.getUUID("user_id"),
              r.getOffsetDateTime("expires_at").toInstant(), r.getValue("rotated_at") != null, r.getValue("revoked_at") != null));
        });
  }

  Future<Void> markRotated(SqlClient client, UUID id) {
    return client.preparedQuery("UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  Future<Void> revokeFamily(SqlClient client, UUID familyId) {
    return client.preparedQuery("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(familyId)).mapEmpty();
  }

  /** Whether the session (token family) still has a usable refresh token, i.e. was not ended. */
  Future<Boolean> familyAlive(SqlClient client, UUID familyId) {
    return client.preparedQuery("""
            SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL AND expires_at > now())""")
        .execute(Tuple.of(familyId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** Ends every session of {@code userId} but {@code keep}; returns the sessions it ended. */
  Future<Set<UUID>> revokeUserFamilies(SqlClient client, UUID userId, Optional<UUID> keep) {
    return client.preparedQuery("""
            UPDATE refresh_tokens SET revoked_at = now()
            WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2
            RETURNING family_id""")
        .execute(Tuple.of(userId, keep.orElse(null)))
        .map(rows -> {
          Set<UUID> families = new HashSet<>();
          rows.forEach(r -> families.add(r.getUUID("family_id")));
          return families;
        });
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}

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

/** SQL for refresh tokens, stored as SHA-256 hashes and grouped in rotation families (sessions). */
public final class RefreshTokenStore {

  /** A live session of a user as the Account page lists it. */
  record Session(UUID id, Instant createdAt, Instant lastUsedAt, Optional<String> userAgent, Optional<String> ip) {}

  /** A stored token's state, locked for the rotation that reads it. */
  record StoredToken(UUID id, UUID familyId, UUID userId, Instant expiresAt, boolean rotated, boolean revoked) {}

  /** Stores a token with the client that got it: a session's newest token says where it was last used. */
  Future<Void> insert(SqlClient client, UUID familyId, UUID userId, byte[] hash, Instant expiresAt, ClientInfo from) {
    return client.preparedQuery("""
            INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, user_agent, ip)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""")
        .execute(Tuple.from(new Object[] {UUID.randomUUID(), familyId, userId, io.vertx.core.buffer.Buffer.buffer(hash),
            expiresAt.atOffset(ZoneOffset.UTC), from.userAgent().orElse(null), from.ip()}))
        .mapEmpty();
  }

  /**
   * The user's live sessions, most recently used first: created at the login (the family's first
   * token), last used at the latest rotation, device and address of that latest token.
   */
  Future<java.util.List<Session>> liveSessions(SqlClient client, UUID userId) {
    return client.preparedQuery("""
            SELECT DISTINCT ON (family_id) family_id, user_agent, ip, created_at AS last_used_at,
                   min(created_at) OVER (PARTITION BY family_id) AS started_at
            FROM refresh_tokens t
            WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
            ORDER BY family_id, created_at DESC""")
        .execute(Tuple.of(userId))
        .map(rows -> {
          java.util.List<Session> sessions = new java.util.ArrayList<>();
          for (Row r : rows) {
            sessions.add(new Session(r.getUUID("family_id"), r.getOffsetDateTime("started_at").toInstant(),
                r.getOffsetDateTime("last_used_at").toInstant(), Optional.ofNullable(r.getString("user_agent")),
                Optional.ofNullable(r.getString("ip"))));
          }
          sessions.sort(java.util.Comparator.comparing(Session::lastUsedAt).reversed());
          return sessions;
        });
  }

  /** Ends one session of {@code userId}; false if the user has no such live session. */
  Future<Boolean> revokeUserFamily(SqlClient client, UUID userId, UUID familyId) {
    return client.preparedQuery("""
            UPDATE refresh_tokens SET revoked_at = now()
            WHERE family_id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()""")
        .execute(Tuple.of(familyId, userId))
        .map(rows -> rows.rowCount() > 0);
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
  public Future<Set<UUID>> revokeUserFamilies(SqlClient client, UUID userId, Optional<UUID> keep) {
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

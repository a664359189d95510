package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.users.Account;
import dev.aiaas.gateway.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Console sessions: password login (throttled, hashed off the event loop), refresh-token rotation
 * (presenting an already rotated token ends the whole session), logout and password change. A
 * session is a family of refresh tokens; its id is the {@code sid} of every access token issued
 * in it, so ending it in the database and in {@link LiveSessions} ends those tokens too.
 */
public final class AuthService {

  /** How long a refresh token (a console session) lives without use. */
  public static final Duration REFRESH_TTL = Duration.ofDays(30);

  private final Pool pool;
  private final UserStore users;
  private final Passwords passwords;
  private final AccessTokens tokens;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final Clock clock;
  private final LiveSessions sessions;
  private final RefreshTokenStore refreshTokens = new RefreshTokenStore();

  public AuthService(Pool pool, UserStore users, Passwords passwords, AccessTokens tokens, LoginThrottle throttle, AuditLog audit, Clock clock,
      LiveSessions sessions) {
    this.pool = pool;
    this.users = users;
    this.passwords = passwords;
    this.tokens = tokens;
    this.throttle = throttle;
    this.audit = audit;
    this.clock = clock;
    this.sessions = sessions;
  }

  /** Whether a session may still be used; what {@link LiveSessions} asks on a cache miss. */
  public static Future<Boolean> sessionAlive(Pool pool, UUID sessionId) {
    return new RefreshTokenStore().familyAlive(pool, sessionId);
  }

  /** What a rotation found; decided inside the transaction, acted on after it committed. */
  private sealed interface Rotation {
    record Rotated(JsonObject tokens) implements Rotation {}

    record Refused(String reason, Optional<UUID> endedSession) implements Rotation {}
  }

  public Future<JsonObject> login(String email, String password, String ip, AuditEvent attempt) {
    Optional<Duration> wait = throttle.refusal(email, ip);
    if (wait.isPresent()) {
      return Future.failedFuture(throttled(wait.get(), "too many failed logins"));
    }
    return users.byEmail(email).compose(account -> passwords.verify(password, account.map(Account::passwordHash))
        .compose(matches -> {
          if (!matches || account.isEmpty() || !account.get().canSignIn()) {
            throttle.failed(email, ip);
            AuditEvent failed = account.flatMap(Account::tenantId).map(attempt::tenant).orElse(attempt)
                .detail("email", email).detail("outcome", "failure");
            return audit.record(failed).compose(ignored -> Future.failedFuture(ApiException.unauthorized("invalid email or password")));
          }
          throttle.succeeded(email);
          Identity identity = account.get().identity();
          AuditEvent succeeded = byAccount(identity, attempt).detail("email", email).detail("outcome", "success");
          return pool.withTransaction(tx -> issue(tx, identity, UUID.randomUUID()).compose(pair -> audit.record(tx, succeeded).map(pair)));
        }));
  }

  public Future<JsonObject> refresh(String refreshToken, AuditEvent attempt) {
    byte[] hash = Hashing.sha256(refreshToken);
    return pool.withTransaction(tx -> refreshTokens.lockByHash(tx, hash).compose(found -> {
          if (found.isEmpty() || found.get().revoked() || !found.get().expiresAt().isAfter(clock.instant())) {
            return Future.succeededFuture(new Rotation.Refused("the refresh token is invalid, expired or revoked; sign in again", Optional.empty()));
          }
          RefreshTokenStore.StoredToken token = found.get();
          if (token.rotated()) {
            // Someone holds a copy of a token already used: end the whole session for both.
            return refreshTokens.revokeFamily(tx, token.familyId())
                .compose(ignored -> audit.record(tx, attempt.target("user:" + token.userId()).detail("outcome", "reuse_detected")))
                .map(new Rotation.Refused("the refresh token was already used; the session is revoked, sign in again",
                    Optional.of(token.familyId())));
          }
          return users.byId(token.userId()).compose(account -> {
            if (account.isEmpty() || !account.get().canSignIn()) {
              return Future.succeededFuture(new Rotation.Refused("the account can no longer sign in", Optional.empty()));
            }
            return refreshTokens.markRotated(tx, token.id())
                .compose(ignored -> issue(tx, account.get().identity(), token.familyId()))
                .map(Rotation.Rotated::new);
          });
        }))
        .map(rotation -> {
          if (rotation instanceof Rotation.Rotated rotated) {
            return rotated.tokens();
          }
          Rotation.Refused refused = (Rotation.Refused) rotation;
          refused.endedSession().ifPresent(session -> sessions.publishEnded(Set.of(session)));
          throw ApiException.unauthorized(refused.reason());
        });
  }

  /** Ends the caller's session: its refresh tokens and, on every node, its access tokens. */
  public Future<Void> logout(Principal caller, AuditEvent event) {
    UUID session = caller.sessionId().orElseThrow(() -> ApiException.forbidden("not-a-session",
        "an API key is not a console session; revoke the key instead"));
    return pool.withTransaction(tx -> refreshTokens.revokeFamily(tx, session)
            .compose(ignored -> audit.record(tx, event.target("user:" + caller.id()).detail("session_id", session.toString()))))
        .onSuccess(ignored -> sessions.publishEnded(Set.of(session)));
  }

  /**
   * Ends the session a refresh token belongs to, whatever state the token is in (a browser whose
   * access token expired signs out with its cookie only). Fails with 401 for an unknown token.
   */
  public Future<Void> logout(String refreshToken, AuditEvent attempt) {
    byte[] hash = Hashing.sha256(refreshToken);
    return pool.withTransaction(tx -> refreshTokens.lockByHash(tx, hash).compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(ApiException.unauthorized("the refresh token is not valid; there is no session to end"));
          }
          RefreshTokenStore.StoredToken token = found.get();
          return users.byId(token.userId()).compose(account -> {
            AuditEvent event = account.filter(Account::canSignIn).map(a -> byAccount(a.identity(), attempt)).orElse(attempt)
                .target("user:" + token.userId()).detail("session_id", token.familyId().toString());
            return refreshTokens.revokeFamily(tx, token.familyId()).compose(ignored -> audit.record(tx, event)).map(token.familyId());
          });
        }))
        .onSuccess(session -> sessions.publishEnded(Set.of(session)))
        .mapEmpty();
  }

  /**
   * Changes the caller's own password after checking the current one (throttled like logins),
   * and ends every other session of the account; the caller's session goes on.
   */
  public Future<Void> changePassword(Principal caller, String currentPassword, String newPassword, String ip, AuditEvent event) {
    if (caller.userId().isEmpty() || caller.sessionId().isEmpty()) {
      return Future.failedFuture(ApiException.forbidden("not-a-session",
          "only a signed-in user has a password; API keys cannot change one"));
    }
    UUID userId = caller.userId().get();
    return users.byId(userId).compose(found -> {
      Account account = found.orElseThrow(() -> ApiException.unauthorized("the account no longer exists"));
      Optional<Duration> wait = throttle.refusal(account.email(), ip);
      if (wait.isPresent()) {
        return Future.failedFuture(throttled(wait.get(), "too many wrong passwords"));
      }
      return passwords.verify(currentPassword, Optional.of(account.passwordHash())).compose(matches -> {
        if (!matches) {
          throttle.failed(account.email(), ip);
          return audit.record(event.target("user:" + userId).detail("outcome", "failure"))
              .compose(ignored -> Future.failedFuture(ApiException.badRequest("wrong-password",
                      "current_password is not the account's password; nothing was changed")
                  .withFieldErrors(new JsonArray().add(new JsonObject().put("field", "current_password")
                      .put("message", "is not the account's current password")))));
        }
        throttle.succeeded(account.email());
        UUID keep = caller.sessionId().get();
        return passwords.hash(newPassword)
            .compose(hash -> pool.withTransaction(tx -> users.updatePasswordHash(tx, userId, hash)
                .compose(ignored -> refreshTokens.revokeUserFamilies(tx, userId, Optional.of(keep)))
                .compose(ended -> audit.record(tx, event.target("user:" + userId).detail("outcome", "success")
                    .detail("sessions_ended", ended.size())).map(ended))))
            .onSuccess(sessions::publishEnded)
            .mapEmpty();
      });
    });
  }

  private static ApiException throttled(Duration wait, String why) {
    return ApiException.tooManyRequests("login-throttled",
        why + "; try again in " + Math.max(1, wait.toSeconds()) + " s", wait.toSeconds());
  }

  /** {@code attempt} (anonymous so far) as done by the account that turned out to be behind it. */
  private static AuditEvent byAccount(Identity identity, AuditEvent attempt) {
    return new AuditEvent(identity.tenantId(), identity.tenantId().isPresent() ? "user" : "platform_admin",
        Optional.of(identity.userId()), attempt.action(), Optional.of("user:" + identity.userId()),
        attempt.details(), attempt.ip(), attempt.requestId());
  }

  private Future<JsonObject> issue(SqlClient tx, Identity identity, UUID familyId) {
    String refresh = Hashing.randomToken(32);
    return refreshTokens.insert(tx, familyId, identity.userId(), Hashing.sha256(refresh), clock.instant().plus(REFRESH_TTL))
        .map(ignored -> new JsonObject()
            .put("access_token", tokens.issue(identity, familyId))
            .put("refresh_token", refresh)
            .put("token_type", "Bearer")
            .put("expires_in", AccessTokens.TTL.toSeconds()));
  }
}

package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.users.Account;
import dev.aiaas.gateway.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Console sign-in: password login (throttled, hashed off the event loop) and refresh-token
 * rotation, where presenting an already rotated token revokes its whole family.
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
  private final RefreshTokenStore refreshTokens = new RefreshTokenStore();

  public AuthService(Pool pool, UserStore users, Passwords passwords, AccessTokens tokens, LoginThrottle throttle, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.users = users;
    this.passwords = passwords;
    this.tokens = tokens;
    this.throttle = throttle;
    this.audit = audit;
    this.clock = clock;
  }

  /** What a rotation found; decided inside the transaction, acted on after it committed. */
  private sealed interface Rotation {
    record Rotated(JsonObject tokens) implements Rotation {}

    record Refused(String reason) implements Rotation {}
  }

  public Future<JsonObject> login(String email, String password, String ip, AuditEvent attempt) {
    Optional<Duration> wait = throttle.refusal(email, ip);
    if (wait.isPresent()) {
      return Future.failedFuture(ApiException.tooManyRequests("login-throttled",
          "too many failed logins; try again in " + Math.max(1, wait.get().toSeconds()) + " s", wait.get().toSeconds()));
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
          AuditEvent succeeded = new AuditEvent(identity.tenantId(), identity.tenantId().isPresent() ? "user" : "platform_admin",
              Optional.of(identity.userId()), attempt.action(), Optional.of("user:" + identity.userId()),
              new JsonObject().put("email", email).put("outcome", "success"), attempt.ip(), attempt.requestId());
          return pool.withTransaction(tx -> issue(tx, identity, UUID.randomUUID()).compose(pair -> audit.record(tx, succeeded).map(pair)));
        }));
  }

  public Future<JsonObject> refresh(String refreshToken, AuditEvent attempt) {
    byte[] hash = Hashing.sha256(refreshToken);
    return pool.withTransaction(tx -> refreshTokens.lockByHash(tx, hash).compose(found -> {
          if (found.isEmpty() || found.get().revoked() || !found.get().expiresAt().isAfter(clock.instant())) {
            return Future.succeededFuture(new Rotation.Refused("the refresh token is invalid, expired or revoked; sign in again"));
          }
          RefreshTokenStore.StoredToken token = found.get();
          if (token.rotated()) {
            // Someone holds a copy of a token already used: end the whole session for both.
            return refreshTokens.revokeFamily(tx, token.familyId())
                .compose(ignored -> audit.record(tx, attempt.target("user:" + token.userId()).detail("outcome", "reuse_detected")))
                .map(new Rotation.Refused("the refresh token was already used; the session is revoked, sign in again"));
          }
          return users.byId(token.userId()).compose(account -> {
            if (account.isEmpty() || !account.get().canSignIn()) {
              return Future.succeededFuture(new Rotation.Refused("the account can no longer sign in"));
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
          throw ApiException.unauthorized(((Rotation.Refused) rotation).reason());
        });
  }

  private Future<JsonObject> issue(SqlClient tx, Identity identity, UUID familyId) {
    String refresh = Hashing.randomToken(32);
    return refreshTokens.insert(tx, familyId, identity.userId(), Hashing.sha256(refresh), clock.instant().plus(REFRESH_TTL))
        .map(ignored -> new JsonObject()
            .put("access_token", tokens.issue(identity))
            .put("refresh_token", refresh)
            .put("token_type", "Bearer")
            .put("expires_in", AccessTokens.TTL.toSeconds()));
  }
}

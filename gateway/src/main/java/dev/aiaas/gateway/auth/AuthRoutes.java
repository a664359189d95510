package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.keys.ApiKeySecrets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code /v1/auth/...}: login, refresh, logout, password change and the public signing keys.
 * Programs get the refresh token in the body; a browser asks for it as the {@link SessionCookie}
 * ({@code "session_cookie": true}) and never sees it.
 */
public final class AuthRoutes {

  private final AuthService auth;
  private final AccessTokens tokens;

  public AuthRoutes(AuthService auth, AccessTokens tokens) {
    this.auth = auth;
    this.tokens = tokens;
  }

  public void register(Operations operations) {
    operations
        .handle("login", Access.PUBLIC, this::login)
        .handle("refreshToken", Access.PUBLIC, this::refresh)
        .handle("logout", Access.PUBLIC, this::logout)
        .handle("changePassword", Access.AUTHENTICATED, ctx -> {
          JsonObject body = ctx.body().asJsonObject();
          return auth.changePassword(Principals.of(ctx), body.getString("current_password"), body.getString("new_password"),
                  ctx.request().remoteAddress().hostAddress(), AuditLog.event(ctx, Principals.of(ctx), "password.changed"))
              .map(ignored -> Reply.noContent());
        })
        .handle("getJwks", Access.PUBLIC, ctx -> Reply.okFuture(tokens.jwks()))
        .handle("whoami", Access.AUTHENTICATED, ctx -> {
          Principal p = Principals.of(ctx);
          return Reply.okFuture(new JsonObject()
              .put("kind", p.kind().wireName())
              .put("id", p.id().toString())
              .put("tenant_id", p.tenantId().map(Object::toString).orElse(null))
              .put("permissions", new io.vertx.core.json.JsonArray(p.permissions().stream()
                  .map(permission -> permission.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList())));
        });
  }

  private Future<Reply> login(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    boolean cookie = body.getBoolean("session_cookie", false);
    return auth.login(body.getString("email"), body.getString("password"), ctx.request().remoteAddress().hostAddress(),
            AuditLog.anonymous(ctx, "login"))
        .map(pair -> tokenReply(ctx, pair, cookie));
  }

  /** With a refresh token in the body it answers in the body; without one it uses (and rotates) the cookie. */
  private Future<Reply> refresh(RoutingContext ctx) {
    Optional<String> inBody = Optional.ofNullable(body(ctx).getString("refresh_token"));
    Optional<String> token = inBody.or(() -> SessionCookie.of(ctx.request()));
    if (token.isEmpty()) {
      return Future.failedFuture(ApiException.unauthorized(
          "no refresh token: send {\"refresh_token\": ...} or the " + SessionCookie.NAME + " cookie from a login with session_cookie"));
    }
    boolean cookie = inBody.isEmpty();
    return auth.refresh(token.get(), AuditLog.anonymous(ctx, "refresh_token"))
        .map(pair -> tokenReply(ctx, pair, cookie))
        .recover(failure -> Future.failedFuture(cookie && failure instanceof ApiException problem
            // A dead cookie is of no use to the browser: drop it with the refusal.
            ? problem.withHeader("Set-Cookie", SessionCookie.clear(ctx.request())) : failure));
  }

  /**
   * Ends the session of the Bearer access token, or (when there is none, or it expired) of the
   * refresh-token cookie; the answer always clears the cookie.
   */
  private Future<Reply> logout(RoutingContext ctx) {
    String clear = SessionCookie.clear(ctx.request());
    Optional<String> bearer = Authenticator.credential(ctx.request()).filter(secret -> !ApiKeySecrets.looksLikeKey(secret));
    Optional<String> cookie = SessionCookie.of(ctx.request());
    Future<Void> ended = bearer.isEmpty()
        ? byCookie(ctx, cookie)
        : tokens.verify(bearer.get())
            .recover(invalid -> Future.failedFuture(ApiException.unauthorized("the access token is invalid or expired")))
            .compose(principal -> auth.logout(principal, AuditLog.event(ctx, principal, "logout")))
            .recover(failure -> cookie.isPresent() ? byCookie(ctx, cookie) : Future.failedFuture(failure));
    return ended
        .map(ignored -> Reply.noContent().withHeader("Set-Cookie", clear).withHeader("Cache-Control", "no-store"))
        .recover(failure -> Future.failedFuture(failure instanceof ApiException problem ? problem.withHeader("Set-Cookie", clear) : failure));
  }

  private Future<Void> byCookie(RoutingContext ctx, Optional<String> cookie) {
    return cookie.map(token -> auth.logout(token, AuditLog.anonymous(ctx, "logout")))
        .orElseGet(() -> Future.failedFuture(ApiException.unauthorized(
            "nothing to sign out: send 'Authorization: Bearer <access token>' or the " + SessionCookie.NAME + " cookie")));
  }

  /** The token pair as the body, or (for a browser) the access token in the body and the refresh token as the cookie. */
  private static Reply tokenReply(RoutingContext ctx, JsonObject pair, boolean cookie) {
    if (!cookie) {
      return Reply.ok(pair).withHeader("Cache-Control", "no-store");
    }
    String refresh = (String) pair.remove("refresh_token");
    return Reply.ok(pair).withHeader("Cache-Control", "no-store").withHeader("Set-Cookie", SessionCookie.set(refresh, ctx.request()));
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    JsonObject body = ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }
}

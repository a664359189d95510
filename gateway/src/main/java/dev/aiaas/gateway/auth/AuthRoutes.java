package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.json.JsonObject;

/** {@code /v1/auth/login}, {@code /v1/auth/refresh} and the public signing keys. */
public final class AuthRoutes {

  private final AuthService auth;
  private final AccessTokens tokens;

  public AuthRoutes(AuthService auth, AccessTokens tokens) {
    this.auth = auth;
    this.tokens = tokens;
  }

  public void register(Operations operations) {
    operations
        .handle("login", Access.PUBLIC, ctx -> {
          JsonObject body = ctx.body().asJsonObject();
          return auth.login(body.getString("email"), body.getString("password"), ctx.request().remoteAddress().hostAddress(),
                  AuditLog.anonymous(ctx, "login"))
              .map(pair -> Reply.ok(pair).withHeader("Cache-Control", "no-store"));
        })
        .handle("refreshToken", Access.PUBLIC, ctx -> auth.refresh(ctx.body().asJsonObject().getString("refresh_token"),
                AuditLog.anonymous(ctx, "refresh_token"))
            .map(pair -> Reply.ok(pair).withHeader("Cache-Control", "no-store")))
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
}

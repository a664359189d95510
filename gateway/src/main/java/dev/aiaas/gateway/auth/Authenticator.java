package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.keys.ApiKeyAuthenticator;
import dev.aiaas.gateway.keys.ApiKeySecrets;
import dev.aiaas.gateway.tenants.Tenant;
import dev.aiaas.gateway.tenants.TenantDirectory;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The first step of every protected operation: reads the credentials ({@code Authorization:
 * Bearer} with an API key or a console JWT, or {@code X-API-Key}), resolves the principal and its
 * tenant, and refuses suspended tenants. Everything after it can rely on {@link Principals#of}
 * and {@link Tenants#of}.
 */
public final class Authenticator implements Handler<RoutingContext> {

  private final AccessTokens tokens;
  private final LiveSessions sessions;
  private final ApiKeyAuthenticator keys;
  private final TenantDirectory tenants;

  public Authenticator(AccessTokens tokens, LiveSessions sessions, ApiKeyAuthenticator keys, TenantDirectory tenants) {
    this.tokens = tokens;
    this.sessions = sessions;
    this.keys = keys;
    this.tenants = tenants;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<String> credential = credential(ctx.request());
    if (credential.isEmpty()) {
      ctx.fail(ApiException.unauthorized("credentials required: send 'Authorization: Bearer <API key or token>' or 'X-API-Key: <API key>'"));
      return;
    }
    String secret = credential.get();
    Future<Principal> principal = ApiKeySecrets.looksLikeKey(secret)
        ? keys.authenticate(secret)
        : tokens.verify(secret).recover(reason -> Future.failedFuture(
            ApiException.unauthorized("the access token is invalid or expired; sign in again or refresh it")))
            .compose(this::inLiveSession);
    principal
        .compose(p -> p.tenantId().isEmpty() ? Future.succeededFuture(p) : activeTenant(ctx, p))
        .onSuccess(p -> {
          Principals.set(ctx, p);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  private Future<Principal> inLiveSession(Principal principal) {
    return sessions.alive(principal.sessionId().orElseThrow()).map(alive -> {
      if (!alive) {
        throw ApiException.unauthorized("the session has ended (signed out, password changed or token reuse); sign in again");
      }
      return principal;
    });
  }

  private Future<Principal> activeTenant(RoutingContext ctx, Principal principal) {
    return tenants.get(principal.tenantId().get()).map(found -> {
      Tenant tenant = found.orElseThrow(() -> ApiException.unauthorized("the credentials belong to a tenant that no longer exists"));
      if (tenant.suspended()) {
        throw ApiException.forbidden("tenant-suspended", "tenant '" + tenant.name() + "' is suspended; contact the platform operator");
      }
      Tenants.set(ctx, tenant);
      return principal;
    });
  }

  static Optional<String> credential(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
    String apiKey = request.getHeader("X-API-Key");
    return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.trim());
  }
}

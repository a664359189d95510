package dev.aiaas.gateway.keys;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.KeyScope;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import dev.aiaas.gateway.http.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@code /v1/keys}: create (secret shown once), list, revoke. */
public final class ApiKeyRoutes {

  private final ApiKeyService keys;

  public ApiKeyRoutes(ApiKeyService keys) {
    this.keys = keys;
  }

  public void register(Operations operations) {
    Access manage = Access.requires(Permission.MANAGE_KEYS);
    operations
        .handle("createKey", manage, this::create)
        .handle("listKeys", manage, ctx -> keys.list(Principals.of(ctx)).map(list -> Reply.list(list.stream().map(ApiKey::toJson).toList())))
        .handle("revokeKey", manage, ctx -> keys.revoke(Principals.of(ctx), UUID.fromString(ctx.pathParam("id")),
                AuditLog.event(ctx, Principals.of(ctx), "api_key.revoked"))
            .map(Reply.noContent()));
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("validation-failed", "expires_at: not an ISO-8601 date-time with offset: " + text);
    }
  }

  private Future<Reply> create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    List<KeyScope> scopes = body.getJsonArray("scopes").stream().map(s -> KeyScope.fromWire((String) s)).toList();
    Optional<Instant> expiresAt = Optional.ofNullable(body.getString("expires_at")).map(ApiKeyRoutes::instant);
    return keys.create(Principals.of(ctx), body.getString("name"), scopes, expiresAt, AuditLog.event(ctx, Principals.of(ctx), "api_key.created"))
        .map(key -> Reply.created(key).withSecret());
  }
}

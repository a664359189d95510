package dev.aiaas.gateway.users;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** {@code /v1/users}: every member of a tenant sees its people; owners invite, change roles and remove. */
public final class TeamRoutes {

  private final TeamService team;

  public TeamRoutes(TeamService team) {
    this.team = team;
  }

  public void register(Operations operations) {
    Access owner = Access.requires(Permission.OWN_TENANT);
    operations
        .handle("listUsers", Access.requires(Permission.READ), ctx -> team.list(Principals.of(ctx).tenant()).map(Reply::list))
        .handle("createUser", owner, ctx -> {
          JsonObject body = ctx.body().asJsonObject();
          return team.invite(Principals.of(ctx).tenant(), body.getString("email"), body.getString("password"), body.getString("role"),
                  AuditLog.event(ctx, Principals.of(ctx), "user.created"))
              .map(Reply::created);
        })
        .handle("updateUser", owner, ctx -> team.changeRole(Principals.of(ctx).tenant(), id(ctx), ctx.body().asJsonObject().getString("role"),
                AuditLog.event(ctx, Principals.of(ctx), "user.role_changed"))
            .map(Reply::ok))
        .handle("deleteUser", owner, ctx -> team.remove(Principals.of(ctx).tenant(), id(ctx),
                AuditLog.event(ctx, Principals.of(ctx), "user.removed"))
            .map(ignored -> Reply.noContent()));
  }

  private static UUID id(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("validation-failed", "id: not a UUID: " + ctx.pathParam("id"));
    }
  }
}

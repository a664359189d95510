package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Admin API for tenants and their users: {@code /v1/admin/tenants}. */
public final class AdminTenantRoutes {

  private final TenantService tenants;

  public AdminTenantRoutes(TenantService tenants) {
    this.tenants = tenants;
  }

  public void register(Operations operations) {
    Access admin = Access.requires(Permission.ADMINISTER_PLATFORM);
    operations
        .handle("createTenant", admin, this::create)
        .handle("listTenants", admin, ctx -> tenants.list().map(list -> Reply.list(list.stream().map(Tenant::toJson).toList())))
        .handle("updateTenant", admin, ctx -> tenants.update(id(ctx), ctx.body().asJsonObject(),
                AuditLog.event(ctx, Principals.of(ctx), "tenant.updated"))
            .map(t -> Reply.ok(t.toJson())))
        .handle("createTenantUser", admin, this::createUser)
        .handle("listTenantUsers", admin, ctx -> tenants.users(id(ctx))
            .map(Reply::list));
  }

  private Future<Reply> create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    return tenants.create(body.getString("name"), body.getString("plan", "free"), AuditLog.event(ctx, Principals.of(ctx), "tenant.created"))
        .map(t -> Reply.created(t.toJson()));
  }

  private Future<Reply> createUser(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    return tenants.addUser(id(ctx), body.getString("email"), body.getString("password"), body.getString("role"),
            AuditLog.event(ctx, Principals.of(ctx), "user.created"))
        .map(Reply::created);
  }

  private static UUID id(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("id"));
  }
}

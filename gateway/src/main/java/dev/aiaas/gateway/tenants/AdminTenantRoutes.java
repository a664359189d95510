package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.users.TeamService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;

/** Admin API for tenants and their users: {@code /v1/admin/tenants}. */
public final class AdminTenantRoutes {

  private final TenantService tenants;
  private final TenantOverview overview;
  private final TeamService members;

  public AdminTenantRoutes(TenantService tenants, TenantOverview overview, TeamService members) {
    this.tenants = tenants;
    this.overview = overview;
    this.members = members;
  }

  public void register(Operations operations) {
    Access admin = Access.requires(Permission.ADMINISTER_PLATFORM);
    operations
        .handle("createTenant", admin, this::create)
        .handle("listTenants", admin, this::list)
        .handle("updateTenant", admin, ctx -> tenants.update(id(ctx), ctx.body().asJsonObject(),
                AuditLog.event(ctx, Principals.of(ctx), "tenant.updated"))
            .map(t -> Reply.ok(t.toJson())))
        .handle("createTenantUser", admin, this::createUser)
        .handle("listTenantUsers", admin, ctx -> tenants.users(id(ctx))
            .map(Reply::list))
        .handle("updateTenantUser", admin, ctx -> members.changeRole(id(ctx), userId(ctx), ctx.body().asJsonObject().getString("role"),
                AuditLog.event(ctx, Principals.of(ctx), "user.role_changed"))
            .map(Reply::ok))
        .handle("deleteTenantUser", admin, ctx -> members.remove(id(ctx), userId(ctx),
                AuditLog.event(ctx, Principals.of(ctx), "user.removed"))
            .map(v -> Reply.noContent()));
  }

  /** A page of tenants ({@code limit}, default 100, and {@code offset}) with usage and draft totals; {@code next_offset} when more follow. */
  private Future<Reply> list(RoutingContext ctx) {
    int limit = Integer.parseInt(Optional.ofNullable(ctx.request().getParam("limit")).orElse("100"));
    int offset = Integer.parseInt(Optional.ofNullable(ctx.request().getParam("offset")).orElse("0"));
    return overview.page(limit, offset).map(page -> {
      Reply reply = Reply.list(page);
      reply.body().put("next_offset", page.size() == limit ? offset + limit : null);
      return reply;
    });
  }

  private static UUID userId(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("userId"));
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

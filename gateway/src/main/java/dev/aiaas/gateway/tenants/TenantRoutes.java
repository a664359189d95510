package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.json.JsonObject;

/** {@code GET /v1/tenant}: the caller's own tenant and its plan. */
public final class TenantRoutes {

  private final TenantDirectory directory;

  public TenantRoutes(TenantDirectory directory) {
    this.directory = directory;
  }

  public void register(Operations operations) {
    operations.handle("getTenant", Access.requires(Permission.READ), ctx -> directory.get(Principals.of(ctx).tenant())
        .map(found -> {
          Tenant tenant = found.orElseThrow(() -> ApiException.notFound("tenant not found"));
          return Reply.ok(new JsonObject()
              .put("id", tenant.id().toString())
              .put("name", tenant.name())
              .put("status", tenant.status())
              .put("plan", tenant.plan().toJson())
              .put("created_at", tenant.createdAt().toInstant().toString()));
        }));
  }
}

package dev.aiaas.gateway.erasure;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import java.util.UUID;

/** The operator's erasure of a tenant: {@code DELETE /v1/admin/tenants/{id}}. */
public final class TenantErasureRoutes {

  private final TenantErasure erasure;

  public TenantErasureRoutes(TenantErasure erasure) {
    this.erasure = erasure;
  }

  public void register(Operations operations) {
    operations.handle("eraseTenant", Access.requires(Permission.ADMINISTER_PLATFORM), ctx -> erasure
        .erase(UUID.fromString(ctx.pathParam("id")), ctx.body().asJsonObject().getString("confirm", ""),
            AuditLog.event(ctx, Principals.of(ctx), "tenant.erased"))
        .map(Reply::ok));
  }
}

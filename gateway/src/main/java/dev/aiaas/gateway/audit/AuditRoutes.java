package dev.aiaas.gateway.audit;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import java.util.Optional;

/** {@code GET /v1/audit}: a tenant owner reads the tenant's audit log, filtered by actor, action and time, newest first, by pages. */
public final class AuditRoutes {

  private final AuditLog audit;

  public AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  public void register(Operations operations) {
    // The same filters and pages as the operator's view, pinned to the caller's tenant.
    operations.handle("listAudit", Access.requires(Permission.OWN_TENANT),
        ctx -> AdminAuditRoutes.page(ctx, audit, Optional.of(Principals.of(ctx).tenant())));
  }
}

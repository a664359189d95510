package dev.aiaas.gateway.audit;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** {@code GET /v1/audit}: a tenant owner reads the tenant's audit log, newest first, by pages. */
public final class AuditRoutes {

  private final AuditLog audit;

  public AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  public void register(Operations operations) {
    operations.handle("listAudit", Access.requires(Permission.OWN_TENANT), ctx -> {
      int limit = Integer.parseInt(Optional.ofNullable(ctx.request().getParam("limit")).orElse("50"));
      Optional<Long> before = Optional.ofNullable(ctx.request().getParam("before")).map(Long::parseLong);
      return audit.list(Principals.of(ctx).tenant(), limit, before).map(events -> {
        JsonObject page = new JsonObject().put("data", new JsonArray(events));
        page.put("next_before", events.size() == limit ? events.get(events.size() - 1).getLong("id") : null);
        return Reply.ok(page);
      });
    });
  }
}

package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Passwords;
import dev.aiaas.gateway.auth.TenantRole;
import dev.aiaas.gateway.db.Sql;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.plans.Plan;
import dev.aiaas.gateway.plans.PlanStore;
import dev.aiaas.gateway.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The platform admin's tenant operations: create, list, change plan, suspend/resume, add users. */
public final class TenantService {

  private final Pool pool;
  private final TenantStore tenants;
  private final PlanStore plans;
  private final UserStore users;
  private final Passwords passwords;
  private final TenantDirectory directory;
  private final AuditLog audit;

  public TenantService(Pool pool, TenantStore tenants, PlanStore plans, UserStore users, Passwords passwords,
      TenantDirectory directory, AuditLog audit) {
    this.pool = pool;
    this.tenants = tenants;
    this.plans = plans;
    this.users = users;
    this.passwords = passwords;
    this.directory = directory;
    this.audit = audit;
  }

  public Future<Tenant> create(String name, String planName, AuditEvent event) {
    return plan(planName)
        .compose(plan -> tenants.insert(name, plan))
        .recover(failure -> Future.failedFuture(Sql.isUniqueViolation(failure)
            ? ApiException.conflict("tenant-exists", "a tenant named '" + name + "' already exists") : failure))
        .compose(tenant -> audit.record(event.tenant(tenant.id()).target("tenant:" + tenant.id())
            .detail("name", name).detail("plan", tenant.plan().name())).map(tenant));
  }

  public Future<List<Tenant>> list() {
    return tenants.list();
  }

  /** Changes plan and/or status; every gateway node sees the change within a second. */
  public Future<Tenant> update(UUID id, JsonObject patch, AuditEvent event) {
    return existing(id)
        .compose(current -> Tenant.ERASED.equals(current.status())
            ? Future.failedFuture(ApiException.conflict("tenant-erased", "tenant '" + current.name() + "' was erased; it can no longer change"))
            : Future.succeededFuture(current))
        .compose(current -> (patch.containsKey("plan") ? plan(patch.getString("plan")) : Future.succeededFuture(current.plan()))
            .compose(plan -> tenants.update(id, plan.id(), patch.getString("status", current.status())))
            .map(updated -> updated.orElseThrow(() -> ApiException.notFound("no tenant with id " + id)))
            .compose(updated -> audit.record(event.tenant(id).target("tenant:" + id)
                    .detail("plan", updated.plan().name()).detail("status", updated.status())
                    .detail("previous_plan", current.plan().name()).detail("previous_status", current.status()))
                .map(updated)))
        .onSuccess(updated -> directory.publishChange(Optional.of(id)));
  }

  /** Creates a console user in the tenant; the password is hashed off the event loop. */
  public Future<JsonObject> addUser(UUID tenantId, String email, String password, String role, AuditEvent event) {
    TenantRole.fromWire(role);
    return existing(tenantId)
        .compose(tenant -> passwords.hash(password))
        .compose(hash -> pool.withTransaction(tx -> users.insertTenantUser(tx, tenantId, email, hash, role)
            .compose(userId -> audit.record(tx, event.tenant(tenantId).target("user:" + userId).detail("email", email).detail("role", role))
                .map(userId))))
        .recover(failure -> Future.failedFuture(Sql.isUniqueViolation(failure)
            ? ApiException.conflict("user-exists", "a user with email '" + email + "' already exists") : failure))
        .map(userId -> new JsonObject().put("id", userId.toString()).put("email", email).put("role", role)
            .put("tenant_id", tenantId.toString()));
  }

  public Future<List<JsonObject>> users(UUID tenantId) {
    return existing(tenantId).compose(t -> users.listTenantUsers(tenantId));
  }

  private Future<Tenant> existing(UUID id) {
    return tenants.byId(id).map(t -> t.orElseThrow(() -> ApiException.notFound("no tenant with id " + id)));
  }

  private Future<Plan> plan(String name) {
    return plans.byName(name).map(p -> p.orElseThrow(() -> ApiException.badRequest("unknown-plan", "no plan named '" + name + "'")
        .withFieldErrors(new io.vertx.core.json.JsonArray().add(new JsonObject().put("field", "plan").put("message", "no such plan")))));
  }
}

package dev.aiaas.gateway.erasure;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.LiveSessions;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.keys.ApiKeyAuthenticator;
import dev.aiaas.gateway.serving.RouteTable;
import dev.aiaas.gateway.tenants.Tenant;
import dev.aiaas.gateway.tenants.TenantDirectory;
import dev.aiaas.worker.api.JobCancel;
import dev.aiaas.worker.api.ServingAddresses;
import dev.aiaas.worker.api.ServingSync;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.Optional;
import java.util.UUID;

/**
 * Erases a suspended tenant: everything it owns goes, in one transaction (a retry after a crash
 * simply runs it again), while usage, invoices and the audit trail stay with personal data
 * pseudonymised. After the commit every node forgets the tenant's keys, sessions and routes, and
 * workers unload its models.
 */
public final class TenantErasure {

  private final Vertx vertx;
  private final Pool pool;
  private final ErasureStore store = new ErasureStore();
  private final AuditLog audit;
  private final TenantDirectory tenants;
  private final ApiKeyAuthenticator keys;
  private final LiveSessions sessions;
  private final RouteTable routes;
  private final DataKeys dataKeys;

  public TenantErasure(Vertx vertx, Pool pool, DataKeys dataKeys, AuditLog audit, TenantDirectory tenants, ApiKeyAuthenticator keys,
      LiveSessions sessions, RouteTable routes) {
    this.vertx = vertx;
    this.pool = pool;
    this.dataKeys = dataKeys;
    this.audit = audit;
    this.tenants = tenants;
    this.keys = keys;
    this.sessions = sessions;
    this.routes = routes;
  }

  /** Erases {@code tenantId} if {@code confirm} names it (its name or id) and it is suspended (or already erased). */
  public Future<JsonObject> erase(UUID tenantId, String confirm, AuditEvent event) {
    return pool.withTransaction(tx -> store.lockTenant(tx, tenantId).compose(found -> {
          Row tenant = found.orElseThrow(() -> ApiException.notFound("no tenant with id " + tenantId));
          String name = tenant.getString("name");
          String status = tenant.getString("status");
          if (!name.equals(confirm) && !tenantId.toString().equalsIgnoreCase(confirm)) {
            throw ApiException.badRequest("confirmation-mismatch", "'confirm' must be the tenant's name or id, to erase tenant '" + name + "'");
          }
          if (Tenant.ACTIVE.equals(status)) {
            throw ApiException.conflict("tenant-not-suspended", "tenant '" + name + "' is active; suspend it before erasing it");
          }
          return store.owned(tx, tenantId).compose(owned -> store.pseudonymiseAudit(tx, owned)
              // Crypto-shred first, inside this transaction: once it commits, no backup taken before
              // or after can decrypt what was sealed under the tenant's data key.
              .compose(pseudonymised -> dataKeys.shred(tx, tenantId).compose(shredded -> store.deleteOwned(tx, tenantId, owned)
                      .map(deleted -> deleted.put("tenant_data_keys", shredded)))
                  .compose(deleted -> store.markErased(tx, tenantId)
                      .compose(v -> audit.record(tx, event.tenant(tenantId).target("tenant:" + tenantId)
                          .detail("name", name).detail("previous_status", status).detail("deleted", deleted)
                          .detail("audit_rows_pseudonymised", pseudonymised)))
                      .map(v -> new Erased(new JsonObject().put("tenant_id", tenantId.toString()).put("name", name).put("status", Tenant.ERASED)
                          .put("deleted", deleted).put("audit_rows_pseudonymised", pseudonymised), owned)))));
        }))
        .map(erased -> {
          forgetEverywhere(tenantId, erased.owned());
          return erased.answer();
        });
  }

  private record Erased(JsonObject answer, ErasureStore.Owned owned) {}

  /** Tells every node and worker, after the commit, that the tenant's keys, sessions, routes, models and jobs are gone. */
  private void forgetEverywhere(UUID tenantId, ErasureStore.Owned owned) {
    tenants.publishChange(Optional.of(tenantId));
    owned.keyIds().forEach(keys::publishRevocation);
    sessions.publishEnded(owned.sessionIds());
    owned.deployedModels().forEach(name -> routes.publishChange(tenantId, name));
    owned.runningTrainingJobs().forEach(id -> vertx.eventBus().publish(TrainingAddresses.CANCEL, new JobCancel(id)));
    owned.runningBatches().forEach(id -> vertx.eventBus().publish(ServingAddresses.BATCH_CANCEL, new JobCancel(id)));
    // Workers retire every loaded version that is no longer deployed.
    vertx.eventBus().publish(ServingAddresses.SYNC, ServingSync.INSTANCE);
  }
}

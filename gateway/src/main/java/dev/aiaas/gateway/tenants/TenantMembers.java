package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.LiveSessions;
import dev.aiaas.gateway.auth.TenantRole;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.Map;
import java.util.UUID;

/**
 * The operator's changes to a tenant's people: change a role, remove a user. Either ends the
 * user's sessions on every node at once (a console token carries its role, so a changed role takes
 * effect at the next sign-in, never later); the last owner can be neither removed nor demoted.
 */
public final class TenantMembers {

  private final Pool pool;
  private final UserStore users;
  private final LiveSessions sessions;
  private final AuditLog audit;

  public TenantMembers(Pool pool, UserStore users, LiveSessions sessions, AuditLog audit) {
    this.pool = pool;
    this.users = users;
    this.sessions = sessions;
    this.audit = audit;
  }

  public Future<JsonObject> changeRole(UUID tenantId, UUID userId, String role, AuditEvent event) {
    TenantRole.fromWire(role);
    return pool.withTransaction(tx -> member(tx, tenantId, userId).compose(roles -> {
          String previous = roles.get(userId);
          if (previous.equals("owner") && !role.equals("owner")) {
            requireAnotherOwner(roles, userId, "demoted");
          }
          return users.setRole(tx, tenantId, userId, role)
              .compose(v -> users.endSessions(tx, userId))
              .compose(ended -> audit.record(tx, event.tenant(tenantId).target("user:" + userId)
                      .detail("role", role).detail("previous_role", previous).detail("sessions_ended", ended.size()))
                  .map(ended));
        }))
        .onSuccess(sessions::publishEnded)
        .compose(ended -> users.listTenantUsers(tenantId))
        .map(list -> list.stream().filter(u -> u.getString("id").equals(userId.toString())).findFirst().orElseThrow());
  }

  public Future<Void> remove(UUID tenantId, UUID userId, AuditEvent event) {
    return pool.withTransaction(tx -> member(tx, tenantId, userId).compose(roles -> {
          if (roles.get(userId).equals("owner")) {
            requireAnotherOwner(roles, userId, "removed");
          }
          return users.endSessions(tx, userId)
              .compose(ended -> users.deleteTenantUser(tx, tenantId, userId)
                  .compose(v -> audit.record(tx, event.tenant(tenantId).target("user:" + userId)
                      .detail("role", roles.get(userId)).detail("sessions_ended", ended.size())))
                  .map(ended));
        }))
        .onSuccess(sessions::publishEnded)
        .mapEmpty();
  }

  /** The tenant's member roles, locked; 404 unless {@code userId} is one of them. */
  private Future<Map<UUID, String>> member(SqlConnection tx, UUID tenantId, UUID userId) {
    return users.lockMemberRoles(tx, tenantId).map(roles -> {
      if (!roles.containsKey(userId)) {
        throw ApiException.notFound("no user " + userId + " in tenant " + tenantId);
      }
      return roles;
    });
  }

  private static void requireAnotherOwner(Map<UUID, String> roles, UUID userId, String what) {
    boolean another = roles.entrySet().stream().anyMatch(e -> !e.getKey().equals(userId) && e.getValue().equals("owner"));
    if (!another) {
      throw ApiException.conflict("last-owner", "user " + userId + " is the tenant's last owner and cannot be " + what
          + "; make another user owner first");
    }
  }
}

package dev.aiaas.gateway.users;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.LiveSessions;
import dev.aiaas.gateway.auth.RefreshTokenStore;
import dev.aiaas.gateway.auth.TenantRole;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.tenants.TenantService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The people of a tenant: invite, change a role, remove; for its owners ({@code /v1/users}) and the
 * operator ({@code /v1/admin/tenants/{id}/users}) alike. A tenant always keeps an owner. A changed role or a removal ends that user's sessions on every node at once,
 * because a role travels inside access tokens.
 */
public final class TeamService {

  private final Pool pool;
  private final UserStore users;
  private final TenantService tenants;
  private final RefreshTokenStore refreshTokens;
  private final LiveSessions sessions;
  private final AuditLog audit;

  public TeamService(Pool pool, UserStore users, TenantService tenants, RefreshTokenStore refreshTokens, LiveSessions sessions,
      AuditLog audit) {
    this.pool = pool;
    this.users = users;
    this.tenants = tenants;
    this.refreshTokens = refreshTokens;
    this.sessions = sessions;
    this.audit = audit;
  }

  public Future<List<JsonObject>> list(UUID tenantId) {
    return users.listTenantUsers(tenantId);
  }

  /** The same rules as the operator's user creation (it is the same code): unique email, slow hash. */
  public Future<JsonObject> invite(UUID tenantId, String email, String password, String role, AuditEvent event) {
    return tenants.addUser(tenantId, email, password, role, event);
  }

  /** Changes a member's role; demoting the last owner is a 409. The member signs in again to use the new role. */
  public Future<JsonObject> changeRole(UUID tenantId, UUID userId, String role, AuditEvent event) {
    TenantRole.fromWire(role);
    return pool.withTransaction(tx -> users.lockMembers(tx, tenantId).compose(members -> {
          String current = members.get(userId);
          if (current == null) {
            return Future.failedFuture(noSuchMember(userId));
          }
          if (current.equals(role)) {
            return Future.succeededFuture(Set.<UUID>of());
          }
          if (isLastOwner(members, userId)) {
            return Future.failedFuture(ApiException.conflict("last-owner",
                "this user is the tenant's only owner; make another member owner before changing this one's role"));
          }
          return users.updateRole(tx, tenantId, userId, role)
              .compose(ignored -> endSessions(tx, userId))
              .compose(ended -> audit.record(tx, event.tenant(tenantId).target("user:" + userId).detail("role", role).detail("previous_role", current)
                  .detail("sessions_ended", ended.size())).map(ended));
        }))
        .onSuccess(sessions::publishEnded)
        .compose(ignored -> users.member(tenantId, userId))
        .map(member -> member.orElseThrow(() -> noSuchMember(userId)));
  }

  /** Removes a member and ends their sessions at once; removing the last owner is a 409. */
  public Future<Void> remove(UUID tenantId, UUID userId, AuditEvent event) {
    return pool.withTransaction(tx -> users.lockMembers(tx, tenantId).compose(members -> {
          String current = members.get(userId);
          if (current == null) {
            return Future.failedFuture(noSuchMember(userId));
          }
          if (isLastOwner(members, userId)) {
            return Future.failedFuture(ApiException.conflict("last-owner",
                "this user is the tenant's only owner and cannot be removed; make another member owner first"));
          }
          // Revoke before deleting: the delete cascades to the refresh tokens, whose families we must publish.
          return endSessions(tx, userId)
              .compose(ended -> users.deleteMember(tx, tenantId, userId)
                  .compose(ignored -> audit.record(tx, event.tenant(tenantId).target("user:" + userId).detail("role", current)
                      .detail("sessions_ended", ended.size())))
                  .map(ended));
        }))
        .onSuccess(sessions::publishEnded)
        .mapEmpty();
  }

  private Future<Set<UUID>> endSessions(SqlClient tx, UUID userId) {
    return refreshTokens.revokeUserFamilies(tx, userId, Optional.empty());
  }

  private static boolean isLastOwner(Map<UUID, String> members, UUID userId) {
    String owner = TenantRole.OWNER.wireName();
    return owner.equals(members.get(userId)) && members.values().stream().filter(owner::equals).count() == 1;
  }

  private static ApiException noSuchMember(UUID userId) {
    return ApiException.notFound("no user with id " + userId + " in this tenant");
  }
}

package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.http.ApiException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, resolved once per request by the {@link Authenticator} and passed explicitly
 * to services: a console user of a tenant, an API key of a tenant, or the platform admin.
 *
 * @param id the user id, or the key id for API keys
 * @param tenantId the tenant, absent for the platform admin
 * @param userId the console user behind the call (for a key: none)
 * @param sessionId the console session (sign-in) the access token belongs to (for a key: none)
 */
public record Principal(Kind kind, UUID id, Optional<UUID> tenantId, Optional<UUID> userId, Set<Permission> permissions,
    Optional<UUID> sessionId) {

  /** A principal outside any console session (an API key). */
  public Principal(Kind kind, UUID id, Optional<UUID> tenantId, Optional<UUID> userId, Set<Permission> permissions) {
    this(kind, id, tenantId, userId, permissions, Optional.empty());
  }

  /** The kinds of caller. */
  public enum Kind {
    USER("user"),
    API_KEY("api_key"),
    PLATFORM_ADMIN("platform_admin");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public boolean has(Permission permission) {
    return permissions.contains(permission);
  }

  /** The caller's tenant; callers without one (the platform admin) get a 403. */
  public UUID tenant() {
    return tenantId.orElseThrow(() -> new ApiException(403, "tenant-required", "Forbidden",
        "this operation acts on a tenant; sign in as a user of one or use its API key"));
  }
}

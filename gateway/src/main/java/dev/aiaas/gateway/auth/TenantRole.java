package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.http.ApiException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A console user's role in their tenant, and what it permits. */
public enum TenantRole {
  OWNER(EnumSet.of(Permission.READ, Permission.PREDICT, Permission.TRAIN, Permission.MANAGE_KEYS, Permission.OWN_TENANT)),
  DEVELOPER(EnumSet.of(Permission.READ, Permission.PREDICT, Permission.TRAIN, Permission.MANAGE_KEYS)),
  VIEWER(EnumSet.of(Permission.READ));

  private final Set<Permission> permissions;

  TenantRole(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public Set<Permission> permissions() {
    return permissions;
  }

  /** The name used in the API and the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TenantRole fromWire(String name) {
    for (TenantRole role : values()) {
      if (role.wireName().equals(name)) {
        return role;
      }
    }
    throw ApiException.badRequest("invalid-role", "role must be one of owner, developer, viewer; got '" + name + "'");
  }
}

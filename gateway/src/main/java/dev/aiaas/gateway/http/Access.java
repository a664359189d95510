package dev.aiaas.gateway.http;

import dev.aiaas.gateway.auth.Permission;
import java.util.Optional;

/** Who may call an operation: anyone, any authenticated principal, or one holding a permission. */
public record Access(boolean authenticated, Optional<Permission> required) {

  /** No credentials needed (health, login, JWKS). */
  public static final Access PUBLIC = new Access(false, Optional.empty());

  /** Any valid credentials, whatever their scopes (e.g. "who am I"). */
  public static final Access AUTHENTICATED = new Access(true, Optional.empty());

  public static Access requires(Permission permission) {
    return new Access(true, Optional.of(permission));
  }
}

package dev.aiaas.gateway.http;

import dev.aiaas.gateway.auth.Permission;
import java.util.Optional;

/** Who may call an operation: anyone, or a principal holding a permission. */
public record Access(Optional<Permission> required) {

  /** No credentials needed (health, login, JWKS). */
  public static final Access PUBLIC = new Access(Optional.empty());

  public static Access requires(Permission permission) {
    return new Access(Optional.of(permission));
  }

  public boolean isPublic() {
    return required.isEmpty();
  }
}

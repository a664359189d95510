package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.http.ApiException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What an API key may be used for; each scope grants one permission. */
public enum KeyScope {
  PREDICT(Permission.PREDICT),
  TRAIN(Permission.TRAIN),
  READ(Permission.READ),
  MANAGE(Permission.MANAGE_KEYS);

  private final Permission permission;

  KeyScope(Permission permission) {
    this.permission = permission;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Permission permission() {
    return permission;
  }

  public static KeyScope fromWire(String name) {
    for (KeyScope scope : values()) {
      if (scope.wireName().equals(name)) {
        return scope;
      }
    }
    throw ApiException.badRequest("invalid-scope", "scope must be one of predict, train, read, manage; got '" + name + "'");
  }

  public static Set<Permission> permissions(Collection<KeyScope> scopes) {
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    scopes.forEach(s -> permissions.add(s.permission()));
    return permissions;
  }
}

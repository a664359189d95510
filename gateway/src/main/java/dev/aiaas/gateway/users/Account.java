package dev.aiaas.gateway.users;

import dev.aiaas.gateway.auth.Identity;
import java.util.Optional;
import java.util.UUID;

/** A console account as stored: the password hash and where the account belongs. */
public record Account(UUID id, String email, String passwordHash, Optional<UUID> tenantId, Optional<String> role, boolean platformAdmin) {

  /** Whether the account may sign in at all (a member of a tenant, or the platform admin). */
  public boolean canSignIn() {
    return platformAdmin || tenantId.isPresent();
  }

  public Identity identity() {
    return new Identity(id, email, platformAdmin ? Optional.empty() : tenantId,
        platformAdmin ? Identity.PLATFORM_ADMIN : role.orElseThrow());
  }
}

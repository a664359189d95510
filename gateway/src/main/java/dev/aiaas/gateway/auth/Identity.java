package dev.aiaas.gateway.auth;

import java.util.Optional;
import java.util.UUID;

/**
 * A console account as it signs in: its tenant and role, or the platform admin role.
 *
 * @param role {@code owner}, {@code developer}, {@code viewer} or {@code platform_admin}
 */
public record Identity(UUID userId, String email, Optional<UUID> tenantId, String role) {

  public static final String PLATFORM_ADMIN = "platform_admin";
}

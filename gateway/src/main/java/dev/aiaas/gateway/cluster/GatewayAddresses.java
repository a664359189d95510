package dev.aiaas.gateway.cluster;

/** Event-bus addresses the gateway nodes use among themselves (cache invalidation). */
public final class GatewayAddresses {

  /** Published with a {@link GatewayMessages.KeyRevoked} when an API key is revoked; every node forgets it. */
  public static final String KEY_REVOKED = "aiaas.gateway.keys.revoked";

  /** Published with a {@link GatewayMessages.TenantChanged} when a tenant or plan changes. */
  public static final String TENANT_CHANGED = "aiaas.gateway.tenants.changed";

  /** Published with a {@link GatewayMessages.SessionsEnded} when console sessions end; every node refuses their access tokens. */
  public static final String SESSIONS_ENDED = "aiaas.gateway.sessions.ended";

  private GatewayAddresses() {}
}

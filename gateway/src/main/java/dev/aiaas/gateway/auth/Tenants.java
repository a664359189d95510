package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.tenants.Tenant;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** Where the request's tenant (with its plan) is kept once the authenticator resolved it. */
public final class Tenants {

  private static final String KEY = "aiaas.tenant";

  private Tenants() {}

  static void set(RoutingContext ctx, Tenant tenant) {
    ctx.put(KEY, tenant);
  }

  /** The tenant of the request's principal; empty for the platform admin. */
  public static Optional<Tenant> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }
}

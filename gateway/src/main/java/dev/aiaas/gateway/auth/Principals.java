package dev.aiaas.gateway.auth;

import io.vertx.ext.web.RoutingContext;

/** Where the authenticated principal of a request is kept. */
public final class Principals {

  private static final String KEY = "aiaas.principal";

  private Principals() {}

  static void set(RoutingContext ctx, Principal principal) {
    ctx.put(KEY, principal);
  }

  /** The request's principal; only operations behind the protected chain have one. */
  public static Principal of(RoutingContext ctx) {
    Principal principal = ctx.get(KEY);
    if (principal == null) {
      throw new IllegalStateException("no principal: the operation is not behind the protected chain");
    }
    return principal;
  }
}

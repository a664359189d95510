package dev.aiaas.gateway.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** Where a sign-in or refresh came from, kept with the session so its owner can recognise it. */
public record ClientInfo(String ip, Optional<String> userAgent) {

  /** Longer User-Agent headers are cut: the Account page shows a summary, not a fingerprint. */
  static final int MAX_USER_AGENT = 512;

  public static ClientInfo of(RoutingContext ctx) {
    String agent = ctx.request().getHeader("User-Agent");
    return new ClientInfo(ctx.request().remoteAddress().hostAddress(),
        Optional.ofNullable(agent).map(String::strip).filter(a -> !a.isEmpty())
            .map(a -> a.length() > MAX_USER_AGENT ? a.substring(0, MAX_USER_AGENT) : a));
  }
}

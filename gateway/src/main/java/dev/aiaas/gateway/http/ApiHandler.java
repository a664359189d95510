package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * The body of an API operation: reads the (already authenticated, authorized and validated)
 * request and answers a {@link Reply}, or fails with an {@link ApiException}.
 */
@FunctionalInterface
public interface ApiHandler {
  Future<Reply> handle(RoutingContext ctx);
}

package dev.aiaas.gateway.http;

import dev.aiaas.gateway.auth.Permission;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * The steps every non-public operation passes before its handler, in order: {@code identify}
 * (authenticate, tenant status, rate limit), then the operation's permission check, then
 * {@code admit} (idempotent replay, quota and metering), so nothing is replayed or reserved for a
 * caller without the permission.
 */
public record ProtectedChain(List<Handler<RoutingContext>> identify, Function<Permission, Handler<RoutingContext>> authorize,
    List<Handler<RoutingContext>> admit) {}

package dev.aiaas.gateway.http;

import dev.aiaas.gateway.auth.Permission;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * The steps every non-public operation passes before its handler, in order (authenticate, tenant
 * status, then the later policies such as rate limits and quotas), and the authorization step
 * that checks the operation's permission.
 */
public record ProtectedChain(List<Handler<RoutingContext>> steps, Function<Permission, Handler<RoutingContext>> authorize) {}

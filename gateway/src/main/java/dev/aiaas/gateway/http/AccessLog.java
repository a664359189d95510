package dev.aiaas.gateway.http;

import dev.aiaas.gateway.auth.Tenants;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one INFO line per request on the {@code aiaas.access} logger, written when the
 * response ends: method, route template, status, duration, tenant and request id, as
 * {@code key=value} pairs. It logs the contract's route template, never the path, query string or
 * headers a client sent, so no credential (API key, token, password) can reach it.
 */
public final class AccessLog implements PlatformHandler {

  /** The logger's name: operators can route or silence it apart from the application's log. */
  public static final String LOGGER = "aiaas.access";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final String ROUTE = "aiaas.access.route";
  private static final String UNMATCHED = "-";

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ended -> write(ctx, start, ended.succeeded()));
    ctx.next();
  }

  /** The first handler of an operation's route: remembers its template for the log line. */
  public static Handler<RoutingContext> route(String template) {
    return ctx -> {
      ctx.put(ROUTE, template);
      ctx.next();
    };
  }

  private static void write(RoutingContext ctx, long start, boolean ended) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    long micros = (System.nanoTime() - start) / 1_000;
    String route = ctx.get(ROUTE);
    LOG.info("method={} route={} status={} duration_ms={} tenant={} request_id={}",
        ctx.request().method(),
        route == null ? UNMATCHED : route,
        // A response cut short (the client went away, a stream reset) has no status worth reporting.
        ended ? Integer.toString(ctx.response().getStatusCode()) : "closed",
        millis(micros),
        Tenants.of(ctx).map(tenant -> tenant.id().toString()).orElse("-"),
        RequestIds.of(ctx));
  }

  /** Milliseconds with three decimals, without a formatter (this runs for every request). */
  private static String millis(long micros) {
    long fraction = micros % 1_000;
    return (micros / 1_000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
  }
}

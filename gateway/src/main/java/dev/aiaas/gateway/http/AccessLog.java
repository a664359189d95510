package dev.aiaas.gateway.http;

import dev.aiaas.gateway.auth.Tenants;
import dev.aiaas.gateway.tenants.Tenant;
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
  /** What a request that matched no operation logs after its method. */
  private static final String UNMATCHED = " route=- status=";

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ended -> write(ctx, start, ended.succeeded()));
    ctx.next();
  }

  /** The first handler of an operation's route: remembers its template for the log line. */
  public static Handler<RoutingContext> route(String template) {
    // The line's middle is the same for every request of the route: built once, not per request.
    String middle = " route=" + template + " status=";
    return ctx -> {
      ctx.put(ROUTE, middle);
      ctx.next();
    };
  }

  private static void write(RoutingContext ctx, long start, boolean ended) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    long micros = (System.nanoTime() - start) / 1_000;
    String middle = ctx.get(ROUTE);
    Tenant tenant = Tenants.of(ctx).orElse(null);
    // Appended by hand, logged without arguments: no format pattern parsed, no argument array, per request.
    StringBuilder line = new StringBuilder(160)
        .append("method=").append(ctx.request().method().name())
        .append(middle == null ? UNMATCHED : middle);
    // A response cut short (the client went away, a stream reset) has no status worth reporting.
    if (ended) {
      line.append(ctx.response().getStatusCode());
    } else {
      line.append("closed");
    }
    line.append(" duration_ms=");
    millis(line, micros);
    line.append(" tenant=");
    if (tenant == null) {
      line.append('-');
    } else {
      line.append(tenant.id());
    }
    LOG.info(line.append(" request_id=").append(RequestIds.of(ctx)).toString());
  }

  /** Milliseconds with three decimals, without a formatter (this runs for every request). */
  static void millis(StringBuilder line, long micros) {
    long fraction = micros % 1_000;
    line.append(micros / 1_000).append(fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".").append(fraction);
  }
}

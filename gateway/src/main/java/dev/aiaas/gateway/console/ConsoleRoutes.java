package dev.aiaas.gateway.console;

import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the web console (built into the {@code console/} classpath folder by the web-console
 * module) at {@code /console/}, after the API routes, with the browser security headers it needs.
 */
public final class ConsoleRoutes {

  /** Where the console lives; {@code /} redirects here. */
  public static final String PATH = "/console/";

  private static final String WEBROOT = "console";

  /**
   * The app loads nothing from elsewhere and talks only to its own origin. Inline styles stay
   * allowed because the dialog's scroll lock and the chart tooltips inject them at run time (no
   * hash or nonce can cover computed values); inline scripts never are.
   */
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'");

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);

  /** The entry page, or null when this build has no console (the API works without it). */
  private final Buffer indexHtml;

  private final String webroot;

  private ConsoleRoutes(String webroot, Buffer indexHtml) {
    this.webroot = webroot;
    this.indexHtml = indexHtml;
  }

  /**
   * Reads the console's entry page once. The Maven build always packs it; a classpath without it
   * (a gateway run from an IDE without the web-console build) still serves the API.
   */
  public static Future<ConsoleRoutes> load(Vertx vertx) {
    return load(vertx, WEBROOT);
  }

  static Future<ConsoleRoutes> load(Vertx vertx, String webroot) {
    return vertx.fileSystem().readFile(webroot + "/index.html").map(index -> new ConsoleRoutes(webroot, index)).recover(missing -> {
      LOG.warn("console: not on the classpath ({}); build the web-console module to serve it", missing.getMessage());
      return Future.succeededFuture(new ConsoleRoutes(webroot, null));
    });
  }

  /** Adds the console's routes to {@code router}; call after the API routes exist. */
  public void mount(Router router) {
    router.get("/").handler(ctx -> ctx.redirect(PATH));
    // Vert.x matches "/console" for "/console/" too: only the bare path is redirected.
    router.get("/console").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect(PATH);
      }
    });
    router.route("/console/*").handler(ConsoleRoutes::securityHeaders);
    // File names under assets/ carry a content hash: a new build means new names, so cache forever.
    // StaticHandler resolves a file below the route's prefix, hence the webroot per route.
    router.get("/console/assets/*").handler(StaticHandler.create(webroot + "/assets")
        .setCachingEnabled(true)
        .setMaxAgeSeconds(365L * 24 * 3600)
        .setDirectoryListing(false)
        .setIncludeHidden(false));
    router.get("/console/assets/*").handler(ctx -> ctx.fail(404));
    // Files at the console's root (the icon) are not hashed, so browsers revalidate them.
    router.get("/console/").handler(this::index);
    router.get("/console/*").handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      ctx.next();
    });
    router.get("/console/*").handler(StaticHandler.create(webroot)
        .setCachingEnabled(false)
        .setIndexPage("index.html.none")
        .setDirectoryListing(false)
        .setIncludeHidden(false));
    // Everything else is a page of the app (deep link or reload): the router in the browser draws it.
    router.get("/console/*").handler(this::index);
  }

  private void index(RoutingContext ctx) {
    if (indexHtml == null) {
      ctx.fail(ApiException.unavailable("console-not-built", "this gateway was built without the web console"));
      return;
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(indexHtml);
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY");
    ctx.next();
  }
}

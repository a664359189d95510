package dev.aiaas.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the web console (built into the {@code console/} classpath folder by the web-console
 * module) at {@code /console/}, after the API routes, with the browser security headers it needs.
 */
public final class ConsoleRoutes {

  /** Where the console lives; {@code /} redirects here. */
  public static final String PATH = "/console/";

  private static final String WEBROOT = "console";

  /**
   * The app loads nothing from elsewhere and talks only to its own origin. Inline style attributes
   * stay allowed because the chart library positions its tooltips with them; scripts never are.
   */
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "style-src-attr 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'");

  private final Buffer indexHtml;

  private ConsoleRoutes(Buffer indexHtml) {
    this.indexHtml = indexHtml;
  }

  /** Reads the console's entry page once; the build guarantees it is on the classpath. */
  public static Future<ConsoleRoutes> load(Vertx vertx) {
    return vertx.fileSystem().readFile(WEBROOT + "/index.html").map(ConsoleRoutes::new);
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
    router.get("/console/assets/*").handler(StaticHandler.create(WEBROOT + "/assets")
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
    router.get("/console/*").handler(StaticHandler.create(WEBROOT)
        .setCachingEnabled(false)
        .setIndexPage("index.html.none")
        .setDirectoryListing(false)
        .setIncludeHidden(false));
    // Everything else is a page of the app (deep link or reload): the router in the browser draws it.
    router.get("/console/*").handler(this::index);
  }

  private void index(RoutingContext ctx) {
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

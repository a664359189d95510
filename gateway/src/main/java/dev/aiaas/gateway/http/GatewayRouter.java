package dev.aiaas.gateway.http;

import dev.aiaas.gateway.health.HealthRoutes;
import dev.aiaas.gateway.metrics.MetricsRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Assembles the gateway's router. The order is the request path: request id, body limit,
 * operational routes, the API, and the failure handler that turns every error into problem+json.
 */
public final class GatewayRouter {

  private GatewayRouter() {}

  public static Future<Router> create(Vertx vertx, GatewayContext context) {
    return vertx.fileSystem().readFile("openapi.yaml").map(openapi -> assemble(vertx, context, openapi));
  }

  private static Router assemble(Vertx vertx, GatewayContext context, Buffer openapi) {
    FailureHandler failures = new FailureHandler(context.config().maxBodyBytes());
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(BodyHandler.create(false).setBodyLimit(context.config().maxBodyBytes()));

    new HealthRoutes(context.pool(), context.schemaVersion(), context.workers()).mount(router);
    new MetricsRoutes(context.metricsRegistry()).mount(router);
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml")
        .end(openapi));

    router.route().failureHandler(failures);
    router.errorHandler(404, failures.forStatus(404));
    router.errorHandler(405, failures.forStatus(405));
    router.errorHandler(500, failures);
    return router;
  }
}

package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the gateway's router from the OpenAPI contract: one route per operation, each running
 * request id, body limit, then (unless public) the protected chain and the permission check, then
 * validation against the contract, then the handler. Every error becomes problem+json.
 */
public final class ApiRouter {

  /** The contract on the classpath; also served at {@code GET /openapi.yaml}. */
  public static final String CONTRACT = "openapi.yaml";

  private ApiRouter() {}

  /** The router; with {@code accessLog}, every request also gets a line in {@link AccessLog}. */
  public static Future<Router> create(Vertx vertx, ApiContract api, Operations operations, ProtectedChain chain, long maxBodyBytes,
      boolean accessLog) {
    return Future.succeededFuture(assemble(vertx, api.resolved(), api.downloaded(), operations, chain, maxBodyBytes, accessLog));
  }

  private static Router assemble(Vertx vertx, OpenAPIContract contract, JsonObject downloaded, Operations operations, ProtectedChain chain,
      long maxBodyBytes, boolean accessLog) {
    FailureHandler failures = new FailureHandler(maxBodyBytes);
    Set<String> streamed = new java.util.HashSet<>();
    contract.operations().forEach(op -> operations.get(op.getOperationId()).filter(Operations.Registered::streaming)
        .ifPresent(r -> streamed.add(op.getHttpMethod() + " " + op.getOpenAPIPath())));
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler())
        .rootHandler(new RequestIds());
    if (accessLog) {
      builder.rootHandler(new AccessLog());
    }
    builder
        // Uploads stream their body to storage; everything else is read whole, up to the limit.
        .rootHandler(ctx -> {
          if (streamed.contains(ctx.request().method() + " " + ctx.request().path())) {
            // Hold the body until the handler, after authentication, is ready to stream it.
            ctx.request().pause();
            ctx.next();
          } else {
            bodies.handle(ctx);
          }
        });
    RequestValidation validation = new RequestValidation(RequestValidator.create(vertx, contract), downloaded);

    Set<String> unimplemented = new TreeSet<>();
    for (OpenAPIRoute route : builder.getRoutes()) {
      String id = route.getOperation().getOperationId();
      Operations.Registered registered = operations.get(id).orElse(null);
      if (registered == null) {
        unimplemented.add(id);
        continue;
      }
      // Our own steps run instead, in the order the request path needs: 401 before 403 before 400.
      route.setDoValidation(false).setDoSecurity(false);
      if (accessLog) {
        route.addHandler(AccessLog.route(route.getOperation().getOpenAPIPath()));
      }
      if (registered.access().authenticated()) {
        chain.identify().forEach(route::addHandler);
        registered.access().required().ifPresent(permission -> route.addHandler(chain.authorize().apply(permission)));
        chain.admit().forEach(route::addHandler);
      }
      // An operation without parameters or body has nothing to validate: keep it off the hot path.
      if (!registered.streaming() && (!route.getOperation().getParameters().isEmpty() || route.getOperation().getRequestBody() != null)) {
        route.addHandler(validation.forOperation(route.getOperation(), registered.check()));
      }
      route.addHandler(registered.handler());
    }
    Set<String> unknown = new TreeSet<>(operations.ids());
    builder.getRoutes().forEach(r -> unknown.remove(r.getOperation().getOperationId()));
    if (!unimplemented.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalStateException("contract and implementation disagree: operations without handler " + unimplemented
          + ", handlers without operation " + unknown);
    }

    Router router = builder.createRouter();
    router.route().failureHandler(failures);
    router.errorHandler(404, failures.forStatus(404));
    router.errorHandler(405, failures.forStatus(405));
    router.errorHandler(500, failures);
    return router;
  }
}

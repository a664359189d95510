package dev.aiaas.gateway.http;

import dev.aiaas.gateway.GatewayServices;
import dev.aiaas.gateway.console.ConsoleRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP server on one event loop. The launcher deploys an instance per core, all sharing the
 * port, so requests spread over the event loops.
 */
public final class GatewayVerticle extends VerticleBase {

  private final GatewayServices services;
  private final int port;
  private HttpServer server;
  private volatile Future<Void> draining;

  public GatewayVerticle(GatewayServices services, int port) {
    this.services = services;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return ApiRouter.create(vertx, services.apiContract(), services.operations(), services.chain(), services.config().maxBodyBytes(),
            services.config().accessLog())
        .compose(router -> ConsoleRoutes.load(vertx).map(console -> {
          console.mount(router);
          return router;
        }))
        .compose(router -> vertx
            .createHttpServer(new HttpServerOptions()
                .setPort(port)
                .setHost(services.config().httpHost())
                .setCompressionSupported(true)
                // No h2c upgrade on plain http: clients that try it (the JDK HttpClient by default)
                // could wait forever for a large, compressed upgraded response. HTTP/1.1 serves them.
                .setHttp2ClearTextEnabled(false))
            .requestHandler(router)
            .listen())
        .onSuccess(s -> server = s);
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Graceful: stops accepting and lets in-flight requests finish within the configured bound.
   * Called before the verticle is undeployed, while its context still delivers event-bus replies.
   */
  public Future<Void> drain() {
    if (server == null || draining != null) {
      return draining == null ? Future.succeededFuture() : draining;
    }
    draining = server.shutdown(services.config().shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return draining;
  }

  @Override
  public Future<?> stop() {
    return drain();
  }
}

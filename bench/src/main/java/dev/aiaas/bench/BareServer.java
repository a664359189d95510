package dev.aiaas.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/**
 * The baseline: a plain Vert.x HTTP server answering the same JSON the gateway's
 * {@code GET /v1/whoami} does, with no authentication, limits or metering.
 */
final class BareServer extends VerticleBase {

  private final Buffer body;
  private HttpServer server;

  BareServer(Buffer body) {
    this.body = body;
  }

  @Override
  public Future<?> start() {
    // -1: one random port shared by every instance, like the gateway's port 0.
    return vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(body))
        .listen(-1, "127.0.0.1")
        .onSuccess(s -> server = s);
  }

  int port() {
    return server.actualPort();
  }
}

package dev.aiaas.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/** {@code GET /openapi.yaml}: the contract, served as the file that drives the router. */
public final class OperationalRoutes {

  private final Buffer contract;

  public OperationalRoutes(Buffer contract) {
    this.contract = contract;
  }

  public void register(Operations operations) {
    operations.raw("getOpenApi", Access.PUBLIC, ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml")
        .end(contract));
  }
}

package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** What an API handler answers: a status and a JSON body (or none), plus any extra headers. */
public record Reply(int status, JsonObject body, Map<String, String> headers) {

  public static Reply ok(JsonObject body) {
    return new Reply(200, body, Map.of());
  }

  public static Reply created(JsonObject body) {
    return new Reply(201, body, Map.of());
  }

  public static Reply accepted(JsonObject body) {
    return new Reply(202, body, Map.of());
  }

  public static Reply noContent() {
    return new Reply(204, null, Map.of());
  }

  public static Future<Reply> okFuture(JsonObject body) {
    return Future.succeededFuture(ok(body));
  }

  /** A copy with one more response header. */
  public Reply withHeader(String name, String value) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put(name, value);
    return new Reply(status, body, Map.copyOf(all));
  }

  Future<Void> send(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setStatusCode(status);
    headers.forEach(response::putHeader);
    if (body == null) {
      return response.end();
    }
    return response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}

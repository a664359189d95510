package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * What an API handler answers: a status and a JSON body (or none), plus any extra headers.
 *
 * @param holdsSecret the body carries a secret shown only once (a new API key): it is never
 *     stored, so an idempotent retry cannot replay it
 */
public record Reply(int status, JsonObject body, Map<String, String> headers, boolean holdsSecret) {

  public Reply(int status, JsonObject body, Map<String, String> headers) {
    this(status, body, headers, false);
  }

  public static Reply ok(JsonObject body) {
    return new Reply(200, body, Map.of());
  }

  /** A list answer, {@code {"data": [...]}}, the shape every listing of the API has. */
  public static Reply list(java.util.List<JsonObject> items) {
    return ok(new JsonObject().put("data", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(items))));
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

  /** A copy marked as carrying a once-only secret. */
  public Reply withSecret() {
    return new Reply(status, body, headers, true);
  }

  public static Future<Reply> okFuture(JsonObject body) {
    return Future.succeededFuture(ok(body));
  }

  /** A copy with one more response header. */
  public Reply withHeader(String name, String value) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put(name, value);
    return new Reply(status, body, Map.copyOf(all), holdsSecret);
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

package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes RFC 9457 problem details, the body of every error response. */
public final class Problems {

  /** Media type of every error body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final String TYPE_PREFIX = "urn:aiaas:problem:";

  private Problems() {}

  /**
   * Sends {@code problem} as the response; the request id and path are filled in here. An answer
   * given before the request body was read ends the connection after a {@link LingeringClose}.
   */
  public static Future<Void> send(RoutingContext ctx, ApiException problem) {
    JsonObject body = new JsonObject()
        .put("type", TYPE_PREFIX + problem.slug())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", problem.detail())
        .put("instance", ctx.request().path())
        .put("request_id", RequestIds.of(ctx));
    body.mergeIn(problem.extensions());
    if (ctx.request().path().startsWith("/v2/")) {
      // Open Inference Protocol clients read the error from an "error" member.
      body.put("error", problem.detail());
    }
    problem.headers().forEach(ctx.response()::putHeader);
    boolean early = LingeringClose.announce(ctx);
    Future<Void> sent = ctx.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
        .end(body.encode());
    if (early) {
      // The client may still be writing the body: read it off before closing, or it never sees this answer.
      sent.onComplete(written -> LingeringClose.drain(ctx));
    }
    return sent;
  }
}

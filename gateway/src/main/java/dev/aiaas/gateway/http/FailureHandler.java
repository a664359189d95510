package dev.aiaas.gateway.http;

import dev.aiaas.gateway.db.DatabaseFailures;
import dev.aiaas.crypto.TamperedChunkException;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into problem+json: {@link ApiException}s as they are, Vert.x Web's status
 * failures (404, 405, 413, ...) with a readable detail, anything else as a 500 whose stack trace
 * goes to the log only. Client errors are logged without a stack trace.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final long maxBodyBytes;

  public FailureHandler(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      // A streamed response failed half way; the status is gone, closing tells the client.
      ctx.response().reset();
      return;
    }
    ApiException problem = toProblem(ctx);
    if (problem.status() == 503) {
      LOG.warn("{} {} -> 503 {}: {} [request_id={}]", ctx.request().method(), ctx.request().path(), problem.slug(),
          ctx.failure() == null ? "" : ctx.failure().getMessage(), RequestIds.of(ctx));
    } else if (problem.status() >= 500) {
      LOG.error("{} {} failed [request_id={}]", ctx.request().method(), ctx.request().path(), RequestIds.of(ctx), ctx.failure());
    } else {
      LOG.debug("{} {} -> {} {} [request_id={}]", ctx.request().method(), ctx.request().path(), problem.status(), problem.slug(), RequestIds.of(ctx));
    }
    Problems.send(ctx, problem);
  }

  private ApiException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      return api;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TamperedChunkException tampered) {
        // Not the client's fault, and no byte of it is sent: the stored data itself is wrong.
        return new ApiException(500, "stored-data-corrupt", "Stored data is corrupt", tampered.getMessage());
      }
    }
    if (DatabaseFailures.isUnavailable(failure)) {
      return ApiException.unavailable("database-unavailable", "the database is unavailable; nothing was done, retry later")
          .withHeader("Retry-After", "5");
    }
    if (failure instanceof DecodeException) {
      return ApiException.badRequest("malformed-json", "the request body is not valid JSON");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return forStatus(ctx, status);
  }

  /** The problem for a bare status, as Vert.x Web reports when no route or method matches. */
  ApiException forStatus(RoutingContext ctx, int status) {
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    return switch (status) {
      case 400 -> ApiException.badRequest("bad-request", "the request could not be read");
      case 404 -> ApiException.notFound("no resource at " + path);
      case 405 -> new ApiException(405, "method-not-allowed", "Method not allowed", method + " is not allowed on " + path);
      case 413 -> new ApiException(413, "payload-too-large", "Payload too large",
          "the request body is larger than the limit of " + maxBodyBytes + " bytes");
      case 415 -> new ApiException(415, "unsupported-media-type", "Unsupported media type",
          "the Content-Type of the request is not accepted here");
      case 503 -> ApiException.unavailable("unavailable", "the service is temporarily unavailable; retry later");
      default -> status >= 400 && status < 500
          ? new ApiException(status, "client-error", "Client error", "the request was rejected")
          : new ApiException(500, "internal-error", "Internal server error",
              "an unexpected error occurred; quote the request id when reporting it");
    };
  }

  /** Handler for router errors that never reached a route (no match, wrong method). */
  public Handler<RoutingContext> forStatus(int status) {
    return ctx -> Problems.send(ctx, forStatus(ctx, status));
  }
}

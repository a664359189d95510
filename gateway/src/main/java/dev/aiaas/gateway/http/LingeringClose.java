package dev.aiaas.gateway.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Ends the connection of a request that was answered before its body was read (401, 403, 413,
 * 429 to an upload): the answer says {@code Connection: close}, then the rest of the body is read
 * and dropped, up to a bound in bytes and time, and the connection is closed. Clients that write
 * their whole body before reading (urllib, requests, {@code HttpURLConnection}) would otherwise
 * block forever on a paused request, or get a reset instead of the answer if we closed at once.
 */
final class LingeringClose {

  /** Most bytes read and dropped after an early answer; a bigger rest is cut off by the close. */
  static final long MAX_DRAIN_BYTES = 64L << 20;

  /** Longest wait for the rest of the body after an early answer. */
  static final long MAX_DRAIN_MILLIS = 10_000;

  private LingeringClose() {}

  /** Whether the answer goes out while the body is still unread (HTTP/1.x only: HTTP/2 resets the stream). */
  static boolean needed(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    return request.version() != HttpVersion.HTTP_2 && !request.isEnded();
  }

  /** Marks the answer as the connection's last one; call before it is written. */
  static void announce(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
  }

  /** Reads and drops the rest of the body, then closes the connection; call once the answer is written. */
  static void drain(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    if (request.isEnded()) {
      connection.close();
      return;
    }
    long timer = ctx.vertx().setTimer(MAX_DRAIN_MILLIS, t -> connection.close());
    long[] dropped = {0};
    request.exceptionHandler(failure -> connection.close());
    request.endHandler(end -> {
      ctx.vertx().cancelTimer(timer);
      connection.close();
    });
    request.handler(data -> {
      dropped[0] += data.length();
      if (dropped[0] > MAX_DRAIN_BYTES) {
        request.handler(null).endHandler(null);
        ctx.vertx().cancelTimer(timer);
        connection.close();
      }
    });
    request.resume();
  }
}

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

  /**
   * Prepares the answer to a request whose body may still be unread: when one is declared
   * (HTTP/1.x, a Content-Length above 0 or chunked), marks the answer as the connection's last and
   * returns true: {@link #drain} must follow once it is written. A request without a body is only
   * resumed, so its end is not held back and the connection stays usable.
   */
  static boolean announce(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
      return false;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean body = request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.trim().equals("0"));
    if (!body) {
      request.resume();
      return false;
    }
    ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    return true;
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

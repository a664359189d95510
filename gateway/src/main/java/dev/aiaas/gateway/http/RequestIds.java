package dev.aiaas.gateway.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id, echoed in {@code X-Request-Id} and in every problem document, so a
 * client's report can be matched with the log. A well-formed id sent by the client is kept. A
 * platform handler, so it runs before body handling: even a 413 carries the id.
 */
public final class RequestIds implements PlatformHandler {

  /** The header carrying the id both ways. */
  public static final String HEADER = "X-Request-Id";

  private static final String KEY = "aiaas.request-id";
  // Bounded and printable: a client's id ends up in logs and headers, so it must not smuggle anything.
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  /** The id of the request being handled. */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : assign(ctx);
  }

  @Override
  public void handle(RoutingContext ctx) {
    assign(ctx);
    ctx.next();
  }

  private static String assign(RoutingContext ctx) {
    String sent = ctx.request().getHeader(HEADER);
    String id = sent != null && ACCEPTED.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    return id;
  }
}

package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Steps of the request chain that act once the handler has answered, before the answer is sent:
 * metering makes the usage durable (or turns the reply into a 503), idempotency stores the reply.
 * They run innermost first, as the chain unwinds.
 */
public final class ReplyHooks {

  private static final String KEY = "aiaas.reply-hooks";

  /** What a step does with a successful reply; may replace it or fail. */
  public interface Hook extends Function<Reply, Future<Reply>> {}

  private ReplyHooks() {}

  public static void add(RoutingContext ctx, Hook hook) {
    Deque<Hook> hooks = ctx.get(KEY);
    if (hooks == null) {
      hooks = new ArrayDeque<>();
      ctx.put(KEY, hooks);
    }
    hooks.push(hook);
  }

  /**
   * Runs the hooks on {@code reply}. Operations run them for their handlers; a raw handler that
   * streams its answer calls this before its first byte (so, for one, its usage is durable).
   */
  public static Future<Reply> run(RoutingContext ctx, Reply reply) {
    Deque<Hook> hooks = ctx.get(KEY);
    Future<Reply> result = Future.succeededFuture(reply);
    if (hooks != null) {
      for (Hook hook : hooks) {
        result = result.compose(hook);
      }
    }
    return result;
  }
}

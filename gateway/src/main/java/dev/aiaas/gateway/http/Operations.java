package dev.aiaas.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The implementation of every operation of the OpenAPI contract, by operationId. Feature
 * packages register theirs; {@link ApiRouter} refuses to start if the contract and this registry
 * disagree, so the contract stays the truth.
 */
public final class Operations {

  /** One registered operation: who may call it and what answers it. */
  record Registered(Access access, Handler<RoutingContext> handler) {}

  private final Map<String, Registered> byId = new HashMap<>();

  /** Registers an operation answered by an {@link ApiHandler}. */
  public Operations handle(String operationId, Access access, ApiHandler handler) {
    return raw(operationId, access, ctx -> handler.handle(ctx)
        .compose(reply -> ReplyHooks.run(ctx, reply))
        .compose(reply -> reply.send(ctx))
        .onFailure(failure -> {
          if (!ctx.response().ended()) {
            ctx.fail(failure);
          }
        }));
  }

  /** Registers an operation that writes its response itself (metrics, streams). */
  public Operations raw(String operationId, Access access, Handler<RoutingContext> handler) {
    if (byId.putIfAbsent(operationId, new Registered(access, handler)) != null) {
      throw new IllegalStateException("operation " + operationId + " registered twice");
    }
    return this;
  }

  Optional<Registered> get(String operationId) {
    return Optional.ofNullable(byId.get(operationId));
  }

  java.util.Set<String> ids() {
    return byId.keySet();
  }
}

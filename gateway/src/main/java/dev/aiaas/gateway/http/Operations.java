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

  /**
   * One registered operation: who may call it and what answers it.
   *
   * @param streaming the handler reads the request body as a stream (uploads): the gateway neither
   *     buffers nor validates the body
   * @param check the operation's dedicated request check, if it has one, tried before the generic validator
   */
  record Registered(Access access, Handler<RoutingContext> handler, boolean streaming, Optional<ContractCheck> check) {}

  private final Map<String, Registered> byId = new HashMap<>();

  /** Registers an operation answered by an {@link ApiHandler}. */
  public Operations handle(String operationId, Access access, ApiHandler handler) {
    return register(operationId, access, adapt(handler), false, Optional.empty());
  }

  /**
   * Registers an operation answered by an {@link ApiHandler} whose requests {@code check} passes
   * without the generic validator (see {@link ContractCheck}).
   */
  public Operations handle(String operationId, Access access, ContractCheck check, ApiHandler handler) {
    return register(operationId, access, adapt(handler), false, Optional.of(check));
  }

  /** Registers an operation whose handler streams the request body itself (uploads). */
  public Operations streaming(String operationId, Access access, ApiHandler handler) {
    return register(operationId, access, adapt(handler), true, Optional.empty());
  }

  private static Handler<RoutingContext> adapt(ApiHandler handler) {
    return ctx -> handler.handle(ctx)
        .compose(reply -> ReplyHooks.run(ctx, reply))
        .compose(reply -> reply.send(ctx))
        .onFailure(failure -> {
          if (!ctx.response().ended()) {
            ctx.fail(failure);
          }
        });
  }

  /** Registers an operation that writes its response itself (metrics, streams). */
  public Operations raw(String operationId, Access access, Handler<RoutingContext> handler) {
    return register(operationId, access, handler, false, Optional.empty());
  }

  private Operations register(String operationId, Access access, Handler<RoutingContext> handler, boolean streaming,
      Optional<ContractCheck> check) {
    if (byId.putIfAbsent(operationId, new Registered(access, handler, streaming, check)) != null) {
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

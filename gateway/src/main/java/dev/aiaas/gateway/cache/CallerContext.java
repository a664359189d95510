package dev.aiaas.gateway.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Delivers a shared future's outcome on the context of the one who waits for it. A Vert.x future
 * runs its listeners on the context that created it, so a request that joins a load started by a
 * request of another HTTP server instance would otherwise continue on that instance's event loop.
 */
public final class CallerContext {

  private CallerContext() {}

  /**
   * The outcome of {@code shared}, delivered on the calling context (at once when the caller is the
   * context that completes it). Off any context, {@code shared} itself.
   */
  public static <T> Future<T> deliver(Future<T> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    // A promise of no context: its listeners run where it is completed, which is the caller's context.
    Promise<T> delivered = Promise.promise();
    shared.onComplete(outcome -> {
      if (Vertx.currentContext() == caller) {
        delivered.handle(outcome);
      } else {
        caller.runOnContext(v -> delivered.handle(outcome));
      }
    });
    return delivered.future();
  }
}

package dev.aiaas.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Two event-loop contexts on two different threads, made as the gateway makes its HTTP servers:
 * instances of one verticle (a context from a plain thread would always be the same one).
 */
record EventLoops(Context first, Context second) {

  static EventLoops deploy(Vertx vertx) throws Exception {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(2)).await(10, TimeUnit.SECONDS);
    EventLoops loops = new EventLoops(contexts.get(0), contexts.get(1));
    assertNotSame(threadOf(loops.first()), threadOf(loops.second()), "the two contexts share an event loop");
    return loops;
  }

  private static Thread threadOf(Context context) throws Exception {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    context.runOnContext(v -> thread.complete(Thread.currentThread()));
    return thread.get(5, TimeUnit.SECONDS);
  }
}

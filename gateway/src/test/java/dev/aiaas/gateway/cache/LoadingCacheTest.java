package dev.aiaas.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Eventually;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared cache of the gateway: one load per key at a time, answers on the caller's event loop. */
class LoadingCacheTest {

  private Vertx vertx;
  private Context first;
  private Context second;
  private final AtomicInteger loads = new AtomicInteger();

  @BeforeEach
  void twoLoops() throws Exception {
    vertx = Vertx.vertx();
    EventLoops loops = EventLoops.deploy(vertx);
    first = loops.first();
    second = loops.second();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A loader like a query: its future belongs to the loading caller's context and completes a little later. */
  private LoadingCache<String, String> cache(long ttlNanos, int maxEntries) {
    return new LoadingCache<>(key -> vertx.timer(100).map(t -> key + "#" + loads.incrementAndGet()), value -> ttlNanos, maxEntries);
  }

  /** Verifies that a value loaded on one loop is answered on another loop's caller at once, on that loop. */
  @Test
  void aHitIsAnsweredOnTheCallersLoop() throws Exception {
    LoadingCache<String, String> cache = cache(Long.MAX_VALUE, 100);
    assertEquals(first, on(first, () -> cache.get("a")).get(5, TimeUnit.SECONDS).context());

    CompletableFuture<Seen> hit = new CompletableFuture<>();
    second.runOnContext(v -> {
      Future<String> value = cache.get("a");
      // Complete already: the caller continues synchronously, with no task queued on any loop.
      boolean immediate = value.isComplete();
      value.onSuccess(s -> hit.complete(new Seen(s, Vertx.currentContext(), immediate)));
    });

    Seen seen = hit.get(5, TimeUnit.SECONDS);
    assertEquals("a#1", seen.value());
    assertSame(second, seen.context());
    assertTrue(seen.immediate(), "a hit must not wait for anything");
    assertEquals(1, loads.get());
  }

  /** Verifies that callers on two loops missing the same key at once share one load and each continue on their own loop. */
  @Test
  void concurrentMissesShareOneLoad() throws Exception {
    LoadingCache<String, String> cache = cache(Long.MAX_VALUE, 100);

    CompletableFuture<Seen> onFirst = on(first, () -> cache.get("a"));
    CompletableFuture<Seen> onSecond = on(second, () -> cache.get("a"));

    assertEquals(new Seen("a#1", first, false), onFirst.get(5, TimeUnit.SECONDS));
    assertEquals(new Seen("a#1", second, false), onSecond.get(5, TimeUnit.SECONDS));
    assertEquals(1, loads.get());
  }

  /** Verifies that a failed load is not kept: the next caller loads again. */
  @Test
  void aFailedLoadIsRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    LoadingCache<String, String> cache = new LoadingCache<>(
        key -> calls.incrementAndGet() == 1 ? Future.failedFuture(new IllegalStateException("database down")) : Future.succeededFuture("ok"),
        value -> Long.MAX_VALUE, 100);

    ExecutionException failure = assertThrows(ExecutionException.class,
        () -> on(first, () -> cache.get("a")).get(5, TimeUnit.SECONDS));
    assertEquals("database down", failure.getCause().getMessage());
    assertEquals("ok", on(second, () -> cache.get("a")).get(5, TimeUnit.SECONDS).value());
    assertEquals(2, calls.get());
  }

  /** Verifies that a load in flight when its key is invalidated is not kept: it may have read the old state. */
  @Test
  void invalidationDuringALoadKeepsItsResultOut() throws Exception {
    List<Promise<String>> pending = new CopyOnWriteArrayList<>();
    LoadingCache<String, String> cache = new LoadingCache<>(key -> {
      Promise<String> p = Promise.promise();
      pending.add(p);
      return p.future();
    }, value -> Long.MAX_VALUE, 100);

    CompletableFuture<Seen> stale = on(first, () -> cache.get("a"));
    awaitSize(pending, 1);
    cache.invalidateIf(value -> false);
    pending.get(0).complete("old");
    assertEquals("old", stale.get(5, TimeUnit.SECONDS).value());

    CompletableFuture<Seen> fresh = on(second, () -> cache.get("a"));
    awaitSize(pending, 2);
    pending.get(1).complete("new");
    assertEquals(new Seen("new", second, false), fresh.get(5, TimeUnit.SECONDS));
  }

  /** Verifies that a value past its time-to-live, or one invalidated, is loaded again. */
  @Test
  void expiredAndInvalidatedValuesAreLoadedAgain() throws Exception {
    LoadingCache<String, String> expiring = cache(0, 100);
    assertEquals("a#1", on(first, () -> expiring.get("a")).get(5, TimeUnit.SECONDS).value());
    assertEquals("a#2", on(first, () -> expiring.get("a")).get(5, TimeUnit.SECONDS).value());

    LoadingCache<String, String> lasting = cache(Long.MAX_VALUE, 100);
    assertEquals("a#3", on(first, () -> lasting.get("a")).get(5, TimeUnit.SECONDS).value());
    assertEquals("a#3", on(second, () -> lasting.get("a")).get(5, TimeUnit.SECONDS).value());
    lasting.invalidateIf(value -> value.equals("a#3"));
    assertEquals("a#4", on(second, () -> lasting.get("a")).get(5, TimeUnit.SECONDS).value());
    lasting.invalidate("a");
    assertEquals("a#5", on(first, () -> lasting.get("a")).get(5, TimeUnit.SECONDS).value());
  }

  /** Verifies that the cache starts over beyond its bound instead of growing. */
  @Test
  void theBoundDropsOldEntries() throws Exception {
    LoadingCache<String, String> cache = cache(Long.MAX_VALUE, 2);
    on(first, () -> cache.get("a")).get(5, TimeUnit.SECONDS);
    on(first, () -> cache.get("b")).get(5, TimeUnit.SECONDS);
    on(first, () -> cache.get("c")).get(5, TimeUnit.SECONDS);

    assertEquals("a#4", on(first, () -> cache.get("a")).get(5, TimeUnit.SECONDS).value());
    assertEquals(4, loads.get());
  }

  private record Seen(String value, Context context, boolean immediate) {}

  private static CompletableFuture<Seen> on(Context context, Supplier<Future<String>> call) {
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    context.runOnContext(v -> call.get().onComplete(outcome -> {
      if (outcome.failed()) {
        seen.completeExceptionally(outcome.cause());
      } else {
        seen.complete(new Seen(outcome.result(), Vertx.currentContext(), false));
      }
    }));
    return seen;
  }

  private static void awaitSize(List<?> list, int size) {
    Eventually.until(list::size, n -> n == size, Duration.ofSeconds(5));
  }
}

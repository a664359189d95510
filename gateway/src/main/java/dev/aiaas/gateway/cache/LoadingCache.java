package dev.aiaas.gateway.cache;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A cache of asynchronously loaded values that every event loop of the gateway shares. Concurrent
 * misses of one key share one load; every caller continues on its own context, whichever loop
 * loaded the value. A loaded value is kept as a future of no context, whose listeners run on the
 * caller's thread at once, so a hit costs neither a hop to another loop nor an allocation.
 *
 * @param <K> the key
 * @param <V> the loaded value (a failed load is not kept: the next caller loads again)
 */
public final class LoadingCache<K, V> {

  /** A load in flight ({@code value} null) or a loaded value; {@code loadedAt} is when the load began. */
  private record Entry<V>(Future<V> loading, Future<V> value, long loadedAt) {}

  private final Function<K, Future<V>> loader;
  private final ToLongFunction<V> ttlNanos;
  private final int maxEntries;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  /**
   * @param loader loads the value of a key (e.g. a query)
   * @param ttlNanos how long a loaded value stays fresh, in nanoseconds
   * @param maxEntries beyond this many keys the cache starts over, bounding memory
   */
  public LoadingCache(Function<K, Future<V>> loader, ToLongFunction<V> ttlNanos, int maxEntries) {
    this.loader = loader;
    this.ttlNanos = ttlNanos;
    this.maxEntries = maxEntries;
  }

  /** The value of {@code key}, from the cache when fresh; delivered on the caller's context. */
  public Future<V> get(K key) {
    long now = System.nanoTime();
    Entry<V> entry = entries.get(key);
    if (entry == null || !fresh(entry, now)) {
      entry = load(key, now);
    }
    return entry.value() != null ? entry.value() : CallerContext.deliver(entry.loading());
  }

  private Entry<V> load(K key, long now) {
    if (entries.size() >= maxEntries) {
      // Bounded memory: starting over costs one load per key, never correctness.
      entries.clear();
    }
    AtomicReference<Entry<V>> started = new AtomicReference<>();
    Entry<V> entry = entries.compute(key, (k, current) -> {
      if (current != null && fresh(current, now)) {
        return current;
      }
      Entry<V> loading = new Entry<>(loader.apply(k), null, now);
      started.set(loading);
      return loading;
    });
    Entry<V> mine = started.get();
    if (mine != null) {
      // Outside compute: a load that already failed completes this listener at once, and it changes the map.
      mine.loading().onComplete(outcome -> {
        if (outcome.succeeded()) {
          // Unless invalidated meanwhile: a load begun before a change may have read the old state.
          entries.replace(key, mine, new Entry<>(null, Future.succeededFuture(outcome.result()), mine.loadedAt()));
        } else {
          entries.remove(key, mine);
        }
      });
    }
    return entry;
  }

  private boolean fresh(Entry<V> entry, long now) {
    if (entry.value() != null) {
      return now - entry.loadedAt() < ttlNanos.applyAsLong(entry.value().result());
    }
    // In flight, or just loaded and about to be kept as a value.
    return !entry.loading().failed();
  }

  /** Sets the value of {@code key}, overriding a load in flight (a known change beats a read that may predate it). */
  public void put(K key, V value) {
    entries.put(key, new Entry<>(null, Future.succeededFuture(value), System.nanoTime()));
  }

  /** Forgets {@code key}, including a load in flight. */
  public void invalidate(K key) {
    entries.remove(key);
  }

  /** How many keys are held (values and loads in flight). */
  public int size() {
    return entries.size();
  }

  /** Forgets everything. */
  public void invalidateAll() {
    entries.clear();
  }

  /** Forgets the values that match, and every load not yet kept (it may be about to return a match). */
  public void invalidateIf(Predicate<V> matches) {
    entries.values().removeIf(e -> e.value() == null || matches.test(e.value().result()));
  }

  /** Drops the values no longer fresh, so keys asked for once do not pile up. */
  public void evictExpired() {
    long now = System.nanoTime();
    entries.values().removeIf(e -> e.value() != null && !fresh(e, now));
  }
}

package dev.aiaas.gateway.metering;

import dev.aiaas.gateway.db.Sql;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes usage durable by group commit: callers enqueue events and get a future that completes
 * once their events are committed. A few batches are written at a time, each into its own rollup
 * shard so they never wait on each other's row locks; whatever arrives while they are all in
 * flight goes into the next, so under load one statement carries many calls' events and at rest a
 * single event is written at once. The queue is bounded: past it, callers are refused with 503
 * rather than served unmetered.
 */
public final class UsageRecorder {

  /** Most events per statement. */
  static final int MAX_BATCH_EVENTS = 2_000;

  /**
   * Batches written at once. More than one hides the commit latency of one batch behind the next
   * (a caller arriving during a commit does not wait for it to finish before its own starts).
   * Each in-flight batch owns one slot, and each slot one rollup shard.
   */
  static final int MAX_IN_FLIGHT = 4;

  /**
   * Events that must be waiting before a further batch starts beside one in flight. A commit costs
   * a WAL flush whatever its size: on a small machine sharing its cores with PostgreSQL, many small
   * batches side by side were slower than one batch at a time (bench/README.md), so a further batch
   * starts only when the backlog is large enough to be worth its own commit.
   */
  static final int MIN_EVENTS_FOR_EXTRA_BATCH = 64;

  /** Attempts of a batch that PostgreSQL aborted for a deadlock (possible only between nodes sharing a shard). */
  static final int MAX_ATTEMPTS = 3;

  /** Most events waiting; a database slower than the traffic makes callers fail fast past this. */
  static final int MAX_QUEUED_EVENTS = 50_000;

  private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

  private final UsageStore store;
  private final Context flusher;
  private final IntConsumer batchSizes;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Bit i set: slot i has a batch in flight; touched on the flusher context only. */
  private int busySlots;
  /** This node's first shard: nodes start at random shards so that they rarely share one. */
  private final int firstShard = ThreadLocalRandom.current().nextInt(UsageStore.SHARDS);

  private record Pending(List<UsageEvent> events, Promise<Void> done, Context caller) {}

  /** {@code batchSizes} observes how many events each statement carried (for metrics). */
  public UsageRecorder(Vertx vertx, UsageStore store, IntConsumer batchSizes) {
    this.store = store;
    this.flusher = vertx.getOrCreateContext();
    this.batchSizes = batchSizes;
  }

  /**
   * Records the events; the future completes, on the caller's context, when they are durable.
   * Fails with 503 when the backlog is full or the database does not take them.
   */
  public Future<Void> record(List<UsageEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    if (queued.addAndGet(events.size()) > MAX_QUEUED_EVENTS) {
      queued.addAndGet(-events.size());
      return Future.failedFuture(unavailable("usage recording is backlogged"));
    }
    Context caller = Vertx.currentContext();
    Promise<Void> done = Promise.promise();
    queue.add(new Pending(List.copyOf(events), done, caller));
    if (scheduled.compareAndSet(false, true)) {
      flusher.runOnContext(v -> {
        scheduled.set(false);
        flush();
      });
    }
    return done.future();
  }

  /** Runs on the flusher context only: starts batches while fewer than the maximum are in flight. */
  private void flush() {
    while (Integer.bitCount(busySlots) < MAX_IN_FLIGHT) {
      if (busySlots != 0 && queued.get() < MIN_EVENTS_FOR_EXTRA_BATCH) {
        return; // the batch in flight calls flush() again when it ends
      }
      List<Pending> batch = new ArrayList<>();
      List<UsageEvent> events = new ArrayList<>();
      Pending next;
      while (events.size() < MAX_BATCH_EVENTS && (next = queue.poll()) != null) {
        batch.add(next);
        events.addAll(next.events());
      }
      if (batch.isEmpty()) {
        return;
      }
      queued.addAndGet(-events.size());
      batchSizes.accept(events.size());
      int slot = Integer.numberOfTrailingZeros(~busySlots);
      busySlots |= 1 << slot;
      write(events, (firstShard + slot) % UsageStore.SHARDS, 1).onComplete(ar -> {
        busySlots &= ~(1 << slot);
        if (ar.failed()) {
          LOG.warn("could not record {} usage event(s): {}", events.size(), ar.cause().getMessage());
        }
        for (Pending p : batch) {
          complete(p, ar.succeeded() ? null : ar.cause());
        }
        flush();
      });
    }
  }

  /** Writes a batch; again if it lost a deadlock (it was rolled back, and events are idempotent anyway). */
  private Future<Void> write(List<UsageEvent> events, int shard, int attempt) {
    return store.insert(events, shard).recover(failure -> attempt < MAX_ATTEMPTS && Sql.isDeadlock(failure)
        ? write(events, shard, attempt + 1) : Future.failedFuture(failure));
  }

  private static void complete(Pending p, Throwable failure) {
    Runnable finish = () -> {
      if (failure == null) {
        p.done().complete();
      } else {
        p.done().fail(unavailable("usage could not be recorded: the database is unavailable"));
      }
    };
    if (p.caller() != null) {
      p.caller().runOnContext(v -> finish.run());
    } else {
      finish.run();
    }
  }

  private static ApiException unavailable(String detail) {
    return ApiException.unavailable("usage-unavailable", detail + "; the call was not served, retry later")
        .withHeader("Retry-After", "5");
  }
}

package dev.aiaas.worker.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.worker.training.Prediction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batcher's rules: what shares a forward pass, in which order, and what is refused. */
class DynamicBatcherTest {

  /** A forward pass that answers each row's first value, and remembers the batch sizes it ran. */
  private static final class Doubler {
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    final CountDownLatch release;

    Doubler(CountDownLatch release) {
      this.release = release;
    }

    List<Prediction> forward(List<float[]> rows) {
      batches.add(rows.size());
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<Prediction> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Prediction.Regression(r[0] * 2)));
      return out;
    }
  }

  private static List<float[]> rows(float... firstValues) {
    List<float[]> rows = new ArrayList<>();
    for (float v : firstValues) {
      rows.add(new float[] {v});
    }
    return rows;
  }

  private static double value(DynamicBatcher.Batched b, int i) {
    return ((Prediction.Regression) b.predictions().get(i)).value();
  }

  /** Verifies that requests arriving while a forward pass runs share the next one, each getting its own rows back in order. */
  @Test
  void requestsWaitingTogetherShareAForwardPass() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Doubler model = new Doubler(release);
    DynamicBatcher batcher = new DynamicBatcher("m", new DynamicBatcher.Settings(32, Duration.ZERO, 100), model::forward);
    CompletableFuture<DynamicBatcher.Batched> first = batcher.submit(rows(1));
    while (model.batches.isEmpty()) {
      Thread.onSpinWait(); // the first pass is running (held by the latch)
    }
    List<CompletableFuture<DynamicBatcher.Batched>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(batcher.submit(rows(10 * i, 10 * i + 1)));
    }
    release.countDown();

    assertEquals(2.0, value(first.get(5, TimeUnit.SECONDS), 0));
    for (int i = 0; i < 5; i++) {
      DynamicBatcher.Batched b = waiting.get(i).get(5, TimeUnit.SECONDS);
      assertEquals(2, b.predictions().size());
      assertEquals(20.0 * i, value(b, 0));
      assertEquals(20.0 * i + 2, value(b, 1));
      assertEquals(10, b.batchSize(), "the five waiting requests ran as one pass of 10 rows");
    }
    assertEquals(List.of(1, 10), model.batches);
    batcher.close().get(5, TimeUnit.SECONDS);
  }

  /** Verifies that a pass never exceeds the maximum batch size; the request that does not fit starts the next pass. */
  @Test
  void batchesStopAtTheMaximumSize() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Doubler model = new Doubler(release);
    DynamicBatcher batcher = new DynamicBatcher("m", new DynamicBatcher.Settings(4, Duration.ZERO, 100), model::forward);
    batcher.submit(rows(0));
    while (model.batches.isEmpty()) {
      Thread.onSpinWait();
    }
    List<CompletableFuture<DynamicBatcher.Batched>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(batcher.submit(rows(1, 2)));
    }
    release.countDown();
    for (CompletableFuture<DynamicBatcher.Batched> w : waiting) {
      assertTrue(w.get(5, TimeUnit.SECONDS).batchSize() <= 4);
    }
    assertEquals(List.of(1, 4, 4, 2), model.batches);
    batcher.close().get(5, TimeUnit.SECONDS);
  }

  /** Verifies that a full queue refuses at once instead of growing, and that closing answers what was queued. */
  @Test
  void aFullQueueRefusesAndCloseDrains() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Doubler model = new Doubler(release);
    DynamicBatcher batcher = new DynamicBatcher("m", new DynamicBatcher.Settings(32, Duration.ZERO, 3), model::forward);
    CompletableFuture<DynamicBatcher.Batched> running = batcher.submit(rows(1, 2));
    CompletableFuture<DynamicBatcher.Batched> queued = batcher.submit(rows(3));

    ExecutionException refused = assertThrows(ExecutionException.class, () -> batcher.submit(rows(4)).get());
    assertInstanceOf(DynamicBatcher.OverloadedException.class, refused.getCause());

    CompletableFuture<Void> closed = batcher.close();
    ExecutionException retired = assertThrows(ExecutionException.class, () -> batcher.submit(rows(5)).get());
    assertInstanceOf(DynamicBatcher.RetiredException.class, retired.getCause());
    release.countDown();
    assertEquals(2, running.get(5, TimeUnit.SECONDS).predictions().size());
    assertEquals(6.0, value(queued.get(5, TimeUnit.SECONDS), 0), "a request queued before close is still answered");
    closed.get(5, TimeUnit.SECONDS);
  }

  /** Verifies that a lone request waits at most the maximum delay for company, then runs alone. */
  @Test
  void aLoneRequestRunsAfterTheDelay() throws Exception {
    Doubler model = new Doubler(new CountDownLatch(0));
    DynamicBatcher batcher = new DynamicBatcher("m", new DynamicBatcher.Settings(32, Duration.ofMillis(5), 100), model::forward);
    DynamicBatcher.Batched alone = batcher.submit(rows(21)).get(5, TimeUnit.SECONDS);
    assertEquals(42.0, value(alone, 0));
    assertEquals(1, alone.batchSize());
    batcher.close().get(5, TimeUnit.SECONDS);
  }

  /** Verifies that a failing forward pass fails only the requests of that pass, and the batcher goes on. */
  @Test
  void aFailedPassFailsItsRequestsOnly() throws Exception {
    DynamicBatcher batcher = new DynamicBatcher("m", new DynamicBatcher.Settings(1, Duration.ZERO, 100), rows -> {
      if (rows.get(0)[0] < 0) {
        throw new IllegalStateException("boom");
      }
      return List.of(new Prediction.Regression(rows.get(0)[0]));
    });
    CompletableFuture<DynamicBatcher.Batched> bad = batcher.submit(rows(-1));
    CompletableFuture<DynamicBatcher.Batched> good = batcher.submit(rows(7));
    assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
    assertEquals(7.0, value(good.get(5, TimeUnit.SECONDS), 0));
    assertEquals(0, batcher.queued());
    batcher.close().get(5, TimeUnit.SECONDS);
  }

  /**
   * Verifies that work submitted alone keeps its place in line between forward passes, runs on the
   * batcher's thread without joining a pass, counts towards the queue limit, and that closing
   * answers queued lone work too.
   */
  @Test
  void loneWorkKeepsItsPlaceAndCountsTowardsTheQueue() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Doubler model = new Doubler(release);
    List<String> order = new CopyOnWriteArrayList<>();
    DynamicBatcher batcher = new DynamicBatcher("m", new DynamicBatcher.Settings(32, Duration.ZERO, 6), rows -> {
      order.add("pass of " + rows.size());
      return model.forward(rows);
    });
    CompletableFuture<DynamicBatcher.Batched> running = batcher.submit(rows(1));
    while (model.batches.isEmpty()) {
      Thread.onSpinWait();
    }
    CompletableFuture<DynamicBatcher.Batched> before = batcher.submit(rows(2, 3));
    CompletableFuture<String> alone = batcher.submitAlone(2, () -> {
      order.add("alone");
      return Thread.currentThread().getName();
    });
    CompletableFuture<DynamicBatcher.Batched> after = batcher.submit(rows(4));
    ExecutionException refused = assertThrows(ExecutionException.class, () -> batcher.submitAlone(2, () -> "x").get());
    assertInstanceOf(DynamicBatcher.OverloadedException.class, refused.getCause(), "1 + 2 + 2 + 1 instances fill a queue of 6");
    release.countDown();

    assertEquals(1, running.get(5, TimeUnit.SECONDS).batchSize());
    assertEquals(2, before.get(5, TimeUnit.SECONDS).batchSize(), "the pass before the lone work did not take the request after it");
    assertEquals("aiaas-batcher-m", alone.get(5, TimeUnit.SECONDS));
    assertEquals(1, after.get(5, TimeUnit.SECONDS).batchSize());
    assertEquals(List.of("pass of 1", "pass of 2", "alone", "pass of 1"), order);
    assertEquals(0, batcher.queued());

    CompletableFuture<Void> closed = batcher.close();
    ExecutionException retired = assertThrows(ExecutionException.class, () -> batcher.submitAlone(1, () -> "x").get());
    assertInstanceOf(DynamicBatcher.RetiredException.class, retired.getCause());
    closed.get(5, TimeUnit.SECONDS);
  }
}

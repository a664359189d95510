package dev.aiaas.worker.serving;

import dev.aiaas.worker.training.Prediction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the requests of one served model version in batches: a forward pass takes every request
 * queued (up to {@code maxBatchSize} instances), waiting at most {@code maxDelay} after the first
 * one for company. One forward pass of 32 rows costs about as much as one of a single row, so under
 * load this multiplies throughput; when idle a request waits at most {@code maxDelay}. The queue is
 * bounded in instances: past {@code maxQueue} a request is refused at once ({@link
 * OverloadedException}) rather than joining a backlog that would only time out.
 *
 * <p>One thread per batcher runs the forward passes, so a model never runs two at once. Work
 * that is not a plain forward pass (an explanation's gradient passes) joins the same queue with
 * {@link #submitAlone}: it counts towards {@code maxQueue}, keeps its place in line and runs on
 * the same thread, alone.
 */
public final class DynamicBatcher {

  /** How a deployment batches; validated by the gateway. */
  public record Settings(int maxBatchSize, Duration maxDelay, int maxQueue) {

    public Settings {
      if (maxBatchSize < 1 || maxQueue < 1 || maxDelay.isNegative()) {
        throw new IllegalArgumentException("invalid batching settings " + maxBatchSize + ", " + maxDelay + ", " + maxQueue);
      }
    }
  }

  /** A request's predictions and the size of the forward pass they came from. */
  public record Batched(List<Prediction> predictions, int batchSize) {}

  /** The queue is full. */
  public static final class OverloadedException extends RuntimeException {
    OverloadedException(String detail) {
      super(detail, null, false, false);
    }
  }

  /** The batcher was closed before it took the request. */
  public static final class RetiredException extends RuntimeException {
    RetiredException(String detail) {
      super(detail, null, false, false);
    }
  }

  /**
   * A queued request: rows for a forward pass ({@code alone} null), or work run alone, which
   * answers through its own future ({@code refuse} fails it).
   */
  private record Pending(int size, List<float[]> rows, CompletableFuture<Batched> answer, Runnable alone,
      Consumer<RuntimeException> refuse) {

    static Pending rows(List<float[]> rows, CompletableFuture<Batched> answer) {
      return new Pending(rows.size(), rows, answer, null, answer::completeExceptionally);
    }

    boolean isAlone() {
      return alone != null;
    }
  }

  private final String name;
  private final Function<List<float[]>, List<Prediction>> forward;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedInstances = new AtomicInteger();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;
  private volatile Settings settings;
  private volatile boolean closing;

  /** {@code forward}: the model's forward pass over encoded rows; called on this batcher's thread only. */
  public DynamicBatcher(String name, Settings settings, Function<List<float[]>, List<Prediction>> forward) {
    this.name = name;
    this.settings = settings;
    this.forward = forward;
    this.thread = new Thread(this::loop, "aiaas-batcher-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** New settings take effect with the next batch (a redeploy of the same version with other limits). */
  public void update(Settings settings) {
    this.settings = settings;
  }

  /**
   * Queues a request's encoded instances. Thread-safe. The answer completes on the batcher's
   * thread, with {@link OverloadedException} if the queue is full or {@link RetiredException} if
   * the batcher is closing.
   */
  public CompletableFuture<Batched> submit(List<float[]> rows) {
    CompletableFuture<Batched> answer = new CompletableFuture<>();
    RuntimeException refused = admit(rows.size());
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    queue.add(Pending.rows(rows, answer));
    return answer;
  }

  /**
   * Queues {@code work} on {@code instances} instances, to run alone on the batcher's thread in
   * its turn (never merged with a forward pass). Thread-safe; fails as {@link #submit} does.
   */
  public <T> CompletableFuture<T> submitAlone(int instances, Supplier<T> work) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    RuntimeException refused = admit(instances);
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    // Off the queue before anyone hears back, as for a forward pass.
    Runnable run = () -> {
      T result;
      try {
        result = work.get();
      } catch (RuntimeException e) {
        queuedInstances.addAndGet(-instances);
        answer.completeExceptionally(e);
        return;
      }
      queuedInstances.addAndGet(-instances);
      answer.complete(result);
    };
    queue.add(new Pending(instances, List.of(), null, run, answer::completeExceptionally));
    return answer;
  }

  /** Counts {@code instances} in, or says why not (closing, or the queue is full). */
  private RuntimeException admit(int instances) {
    if (closing) {
      return new RetiredException(name + " is being retired");
    }
    int queuedBefore = queuedInstances.getAndAdd(instances);
    // An empty queue takes any one request, so a request larger than the queue still gets served.
    if (queuedBefore > 0 && queuedBefore + instances > settings.maxQueue()) {
      queuedInstances.addAndGet(-instances);
      return new OverloadedException("the queue of " + name + " is full (" + queuedBefore + " instances waiting)");
    }
    return null;
  }

  /** The settings the next batch runs with. */
  public Settings settings() {
    return settings;
  }

  /** Instances waiting or running now. */
  public int queued() {
    return queuedInstances.get();
  }

  /** Stops taking requests, answers every queued one, then ends the thread. */
  public CompletableFuture<Void> close() {
    closing = true;
    return stopped;
  }

  private void loop() {
    Pending carried = null;
    try {
      while (true) {
        Pending first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
        carried = null;
        if (first == null) {
          if (closing && queue.isEmpty()) {
            return;
          }
          continue;
        }
        if (first.isAlone()) {
          first.alone().run();
          continue;
        }
        Settings now = settings;
        List<Pending> batch = new ArrayList<>();
        batch.add(first);
        int size = first.size();
        long deadline = System.nanoTime() + now.maxDelay().toNanos();
        while (size < now.maxBatchSize()) {
          long wait = deadline - System.nanoTime();
          Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          if (next.isAlone() || size + next.size() > now.maxBatchSize()) {
            carried = next; // starts the next batch, so order is kept
            break;
          }
          batch.add(next);
          size += next.size();
        }
        run(batch, size);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      failAll(carried);
      stopped.complete(null);
    }
  }

  private void run(List<Pending> batch, int size) {
    List<float[]> rows = new ArrayList<>(size);
    batch.forEach(p -> rows.addAll(p.rows()));
    List<Prediction> predictions;
    try {
      predictions = forward.apply(rows);
    } catch (RuntimeException e) {
      queuedInstances.addAndGet(-size);
      batch.forEach(p -> p.answer().completeExceptionally(e));
      return;
    }
    // Off the queue before anyone hears back, so a caller that was answered never sees its own rows counted.
    queuedInstances.addAndGet(-size);
    int offset = 0;
    for (Pending p : batch) {
      p.answer().complete(new Batched(predictions.subList(offset, offset + p.rows().size()), size));
      offset += p.rows().size();
    }
  }

  private void failAll(Pending carried) {
    List<Pending> left = new ArrayList<>();
    if (carried != null) {
      left.add(carried);
    }
    queue.drainTo(left);
    left.forEach(p -> p.refuse().accept(new RetiredException(name + " stopped")));
  }
}

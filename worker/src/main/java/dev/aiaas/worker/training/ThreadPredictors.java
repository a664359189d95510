package dev.aiaas.worker.training;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The forward passes of one loaded model, each through the calling thread's own DJL {@link
 * Predictor}, kept for the model's life. A Predictor is not thread-safe, and creating one per pass
 * (a parameter store, a native sub-manager) cost about as much as the pass itself for small models.
 * Passes are serialized on this object: MXNet does not promise concurrent forward passes on shared
 * parameters. Holds native memory until {@link #close()}d.
 */
public final class ThreadPredictors implements AutoCloseable {

  /** One forward pass's input: row-major values and the shape they form (batch first). */
  public record Input(float[] values, Shape shape) {}

  private final Model model;
  private final Forward translator;
  private final Map<Thread, Predictor<Input, float[]>> byThread = new HashMap<>();
  private boolean closed;

  /** {@code softmax}: the outputs are turned into probabilities per row (classifiers). */
  public ThreadPredictors(Model model, boolean softmax) {
    this.model = model;
    this.translator = new Forward(softmax);
  }

  /**
   * One forward pass; the outputs row-major.
   *
   * @throws IllegalStateException if the pass fails or this is closed
   */
  public synchronized float[] forward(Input input) {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
    try {
      return predictor().predict(input);
    } catch (TranslateException e) {
      throw new IllegalStateException("forward pass failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} (a gradient pass on the same parameters) while no forward pass runs.
   *
   * @throws IllegalStateException if this is closed
   */
  public synchronized <T> T exclusive(Supplier<T> work) {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
    return work.get();
  }

  /** How many Predictors are open now (one per live thread that ran a pass). */
  public synchronized int open() {
    return byThread.size();
  }

  private Predictor<Input, float[]> predictor() {
    Thread me = Thread.currentThread();
    Predictor<Input, float[]> mine = byThread.get(me);
    if (mine == null) {
      // A new thread is rare (the batcher's thread, the worker pool's): the moment to free the dead ones'.
      for (Iterator<Map.Entry<Thread, Predictor<Input, float[]>>> it = byThread.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Thread, Predictor<Input, float[]>> e = it.next();
        if (!e.getKey().isAlive()) {
          e.getValue().close();
          it.remove();
        }
      }
      mine = model.newPredictor(translator);
      byThread.put(me, mine);
    }
    return mine;
  }

  /** Closes every thread's Predictor; the model itself stays with its owner. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      byThread.values().forEach(Predictor::close);
      byThread.clear();
    }
  }

  /** Feeds a whole batch at once; the batch is already formed, so no batchifier. */
  private record Forward(boolean softmax) implements NoBatchifyTranslator<Input, float[]> {

    @Override
    public NDList processInput(TranslatorContext ctx, Input input) {
      return new NDList(ctx.getNDManager().create(input.values(), input.shape()));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
      NDArray output = list.singletonOrThrow();
      return softmax ? output.softmax(1).toFloatArray() : output.toFloatArray();
    }
  }
}

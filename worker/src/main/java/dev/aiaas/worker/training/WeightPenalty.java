package dev.aiaas.worker.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The L1/L2 regularization term both trainers add to each batch's loss: {@code l1 * sum|w| + l2 *
 * sum(w^2)} over the layers' weights (not biases).
 */
public final class WeightPenalty {

  private WeightPenalty() {}

  /** Whether the hyperparameters ask for any penalty. */
  public static boolean applies(Hyperparameters hp) {
    return hp.l1() > 0 || hp.l2() > 0;
  }

  /**
   * The penalty for {@code weights}. Operations on a weight allocate on the model's manager, so
   * every intermediate is moved to {@code scope} (the batch's), which frees them with the batch.
   */
  public static NDArray of(List<NDArray> weights, Hyperparameters hp, NDManager scope) {
    NDArray total = null;
    for (NDArray w : weights) {
      if (hp.l1() > 0) {
        NDArray term = keep(keep(keep(w.abs(), scope).sum(), scope).mul((float) hp.l1()), scope);
        total = total == null ? term : keep(total.add(term), scope);
      }
      if (hp.l2() > 0) {
        NDArray term = keep(keep(keep(w.square(), scope).sum(), scope).mul((float) hp.l2()), scope);
        total = total == null ? term : keep(total.add(term), scope);
      }
    }
    return total;
  }

  private static NDArray keep(NDArray array, NDManager scope) {
    array.attach(scope);
    return array;
  }
}

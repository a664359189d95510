package dev.aiaas.worker.training;

/**
 * The end-of-epoch rules both trainers follow: a loss that is no longer finite fails the run, and
 * early stopping ends it after {@code patience} epochs in a row whose validation loss does not beat
 * the best so far by at least {@link #MIN_RELATIVE_IMPROVEMENT} (relative).
 */
public final class EpochGuard {

  /** A validation loss must beat the best so far by this fraction to count as an improvement. */
  public static final double MIN_RELATIVE_IMPROVEMENT = 1e-4;

  private final int patience;
  private final int epochs;
  private double best = Double.POSITIVE_INFINITY;
  private int withoutImprovement;
  private int bestEpoch;

  /** {@code patience} 0 turns early stopping off. */
  public EpochGuard(int patience, int epochs) {
    this.patience = patience;
    this.epochs = epochs;
  }

  /** Fails the run if either loss diverged. */
  public static void checkFinite(int epoch, double trainingLoss, double validationLoss) throws TrainingFailedException {
    if (!Double.isFinite(trainingLoss) || !Double.isFinite(validationLoss)) {
      throw new TrainingFailedException("training diverged in epoch " + epoch
          + ": the loss is no longer a finite number; try a smaller hyperparameters.learning_rate");
    }
  }

  /** The epoch with the lowest validation loss so far (by the improvement rule); 0 before any. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** Records the epoch's validation loss; true if the run should stop early after it. */
  public boolean stopAfter(int epoch, double validationLoss) {
    if (best == Double.POSITIVE_INFINITY || validationLoss < best - Math.abs(best) * MIN_RELATIVE_IMPROVEMENT) {
      best = validationLoss;
      bestEpoch = epoch;
      withoutImprovement = 0;
      return false;
    }
    return patience > 0 && ++withoutImprovement >= patience && epoch < epochs;
  }
}

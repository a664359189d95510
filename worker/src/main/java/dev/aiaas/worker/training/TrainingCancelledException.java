package dev.aiaas.worker.training;

/** Training stopped because its {@link TrainingListener} asked for it; nothing was produced. */
public final class TrainingCancelledException extends Exception {

  private final int epochsCompleted;

  public TrainingCancelledException(int epochsCompleted) {
    super("training was cancelled after " + epochsCompleted + " completed epoch(s)");
    this.epochsCompleted = epochsCompleted;
  }

  public int epochsCompleted() {
    return epochsCompleted;
  }
}

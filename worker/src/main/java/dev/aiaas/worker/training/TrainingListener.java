package dev.aiaas.worker.training;

/**
 * Observes a training run: receives one report per completed epoch and can cancel the run. Called
 * on the training thread, so it must be quick (hand the report over, do not do I/O here).
 */
public interface TrainingListener {

  /** A listener that ignores reports and never cancels. */
  TrainingListener NONE = report -> {};

  /** Called once after each completed epoch, in order. */
  void onEpoch(EpochReport report);

  /** Polled after every batch; returning true stops the run with a TrainingCancelledException. */
  default boolean cancelled() {
    return false;
  }
}

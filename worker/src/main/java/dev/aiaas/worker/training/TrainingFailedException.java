package dev.aiaas.worker.training;

/**
 * Training ran but could not produce a usable model for a reason the tenant can act on (it
 * diverged, the training split holds a single class...). The message is meant for the tenant.
 */
public final class TrainingFailedException extends Exception {

  public TrainingFailedException(String message) {
    super(message);
  }
}

package dev.aiaas.worker.api;

import java.util.Locale;

/** How a job's run ended, as a worker reports it; {@link #wire()} is the state's name in the job tables and the API. */
public enum JobState {
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.aiaas.worker.api;

import java.util.UUID;

/** A message about one attempt at a job (its run, progress or outcome): which job, and which attempt. */
public interface JobAttempt {

  UUID jobId();

  int attempt();
}

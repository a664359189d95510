package dev.aiaas.gateway.launcher;

/** What a process runs: everything (the laptop mode), or one side of a cluster. */
public enum Role {
  SERVE(true, true),
  GATEWAY(true, false),
  WORKER(false, true);

  private final boolean gateway;
  private final boolean worker;

  Role(boolean gateway, boolean worker) {
    this.gateway = gateway;
    this.worker = worker;
  }

  public boolean runsGateway() {
    return gateway;
  }

  public boolean runsWorkers() {
    return worker;
  }
}

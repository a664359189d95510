package dev.aiaas.worker;

import dev.aiaas.worker.api.WorkerStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The worker verticles one {@link Workers#deploy} started, in device order.
 *
 * @param deploymentIds Vert.x deployment ids, one per device
 * @param statuses what each worker announces, one per device
 */
public record DeployedWorkers(List<String> deploymentIds, List<WorkerStatus> statuses) {

  public DeployedWorkers {
    deploymentIds = List.copyOf(deploymentIds);
    statuses = List.copyOf(statuses);
  }

  /** Undeploys every worker, waiting for all of them even if one fails. */
  public Future<Void> undeploy(Vertx vertx) {
    return Workers.undeployAll(vertx, deploymentIds);
  }

  /** A short human text for the startup log, e.g. {@code MXNet 1.9.1 on cpu()}. */
  public String describe() {
    return statuses.stream().map(WorkerStatus::describe).collect(Collectors.joining(", "));
  }
}

package dev.aiaas.worker;

import ai.djl.Device;
import dev.aiaas.worker.api.EventBusCodecs;
import dev.aiaas.worker.api.WorkerStatus;
import dev.aiaas.worker.engine.DjlRuntime;
import dev.aiaas.worker.engine.EngineInfo;
import dev.aiaas.worker.engine.WorkerDevices;
import dev.aiaas.worker.images.ImageArchive;
import dev.aiaas.worker.serving.BatchPredictionVerticle;
import dev.aiaas.worker.serving.LoadedModels;
import dev.aiaas.worker.serving.ModelArtifacts;
import dev.aiaas.worker.serving.ServingVerticle;
import io.vertx.core.DeploymentOptions;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Starts the worker verticles of this process: one per configured device. */
public final class Workers {

  private Workers() {}

  /**
   * Loads the DJL engine off the event loop, resolves {@code deviceSpec} ({@code
   * AIAAS_WORKER_DEVICES}) and deploys, per device, a {@link WorkerVerticle} (announces it), a
   * {@link TrainingVerticle}, a {@link ServingVerticle} and a {@link BatchPredictionVerticle}.
   * {@code modelCache} is the directory where model parameters read from PostgreSQL are cached.
   *
   * <p>Fails with {@link IllegalArgumentException} for a bad device spec and {@link
   * IllegalStateException} if the engine cannot load. If one deployment fails, the workers already
   * deployed are undeployed again.
   */
  public static Future<DeployedWorkers> deploy(
      Vertx vertx, String deviceSpec, Duration heartbeatInterval, Pool pool, DataKeys keys, Path modelCache) {
    return deploy(vertx, deviceSpec, heartbeatInterval, pool, keys, modelCache, ImageArchive.Limits.defaults());
  }

  /**
   * As {@link #deploy(Vertx, String, Duration, Pool, DataKeys, Path)}, reading image datasets within
   * {@code archiveLimits}. {@code keys} opens and seals tenant data (datasets, artifacts, results).
   */
  public static Future<DeployedWorkers> deploy(Vertx vertx, String deviceSpec, Duration heartbeatInterval, Pool pool,
      DataKeys keys, Path modelCache, ImageArchive.Limits archiveLimits) {
    EventBusCodecs.register(vertx);
    return vertx
        .executeBlocking(
            () -> {
              WorkerDevices.validateSyntax(deviceSpec);
              return new Host(DjlRuntime.initialize(), LocalHost.name());
            })
        .compose(host -> deployAll(vertx, host, deviceSpec, heartbeatInterval, pool, keys,
            new ModelArtifacts(vertx, pool, keys, modelCache), archiveLimits));
  }

  private static Future<DeployedWorkers> deployAll(
      Vertx vertx, Host host, String deviceSpec, Duration heartbeatInterval, Pool pool, DataKeys keys, ModelArtifacts artifacts,
      ImageArchive.Limits archiveLimits) {
    List<Device> devices = WorkerDevices.resolve(deviceSpec, host.engine().gpuCount());
    List<WorkerVerticle> verticles =
        devices.stream()
            .map(device -> new WorkerVerticle(device, host.engine(), heartbeatInterval, host.node(), new LoadedModels()))
            .toList();
    // WORKER threading: the DJL calls these verticles will make block for milliseconds to seconds.
    DeploymentOptions options = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);
    List<Future<String>> deployments = new java.util.ArrayList<>();
    for (WorkerVerticle verticle : verticles) {
      deployments.add(vertx.deployVerticle(verticle, options));
      // One trainer per device, next to the verticle that announces the device.
      deployments.add(vertx.deployVerticle(new TrainingVerticle(verticle.device(), verticle.status().workerId(), pool, keys, archiveLimits), options));
      deployments.add(vertx.deployVerticle(new ServingVerticle(verticle.device(), pool, artifacts, verticle.loaded()), options));
      deployments.add(vertx.deployVerticle(new BatchPredictionVerticle(verticle.device(), verticle.status().workerId(), pool, keys, artifacts,
          archiveLimits), options));
    }
    List<WorkerStatus> statuses = verticles.stream().map(WorkerVerticle::status).toList();
    return Future.join(deployments)
        .map(all -> new DeployedWorkers(all.list(), statuses))
        .recover(
            failure ->
                undeployAll(vertx, succeededIds(deployments))
                    .transform(ignored -> Future.failedFuture(failure)));
  }

  static Future<Void> undeployAll(Vertx vertx, List<String> deploymentIds) {
    List<Future<Void>> undeployments = deploymentIds.stream().map(vertx::undeploy).toList();
    return Future.join(undeployments).mapEmpty();
  }

  private static List<String> succeededIds(List<Future<String>> deployments) {
    return deployments.stream().filter(Future::succeeded).map(Future::result).toList();
  }

  /** What the blocking start-up step learned about this process. */
  private record Host(EngineInfo engine, String node) {}
}

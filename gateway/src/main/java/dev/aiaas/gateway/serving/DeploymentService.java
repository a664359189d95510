package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.tenants.Tenant;
import dev.aiaas.worker.api.ServingAddresses;
import dev.aiaas.worker.api.ServingStatus;
import dev.aiaas.worker.api.ServingSync;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Deploys and undeploys model versions. The deployment is written to PostgreSQL first (so it
 * survives any restart), then the workers are told to sync; the call waits until a worker serves
 * the new version with the requested batching (up to {@link #READY_WAIT}) and only then moves
 * every gateway's route to it.
 * Until then the previous version keeps answering: a redeploy has no gap.
 */
public final class DeploymentService {

  /** How long a deploy call waits for a worker to load the version before answering {@code loading}. */
  static final Duration READY_WAIT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final DeploymentStore store;
  private final RouteTable routes;
  private final PredictionClient client;
  private final AuditLog audit;

  public DeploymentService(Vertx vertx, DeploymentStore store, RouteTable routes, PredictionClient client, AuditLog audit) {
    this.vertx = vertx;
    this.store = store;
    this.routes = routes;
    this.client = client;
    this.audit = audit;
  }

  /** Deploys; answers the deployment with {@code state} {@code ready}, or {@code loading} if no worker loaded it in time. */
  public Future<JsonObject> deploy(Tenant tenant, String name, JsonObject body, AuditEvent event) {
    int version = body.getInteger("version");
    return store.deploy(tenant.id(), name, version, Deployment.Batching.from(body), tenant.plan().limit("deployed_models"))
        .compose(deployment -> {
          vertx.eventBus().publish(ServingAddresses.SYNC, ServingSync.INSTANCE);
          return awaitServing(deployment, System.nanoTime() + READY_WAIT.toNanos()).map(ready -> {
            routes.publishChange(tenant.id(), name);
            return deployment.toJson(ready ? "ready" : "loading");
          });
        })
        .compose(answer -> audit.record(event.target("model:" + name).detail("version", version)).map(answer));
  }

  public Future<Void> undeploy(Tenant tenant, String name, AuditEvent event) {
    return store.undeploy(tenant.id(), name).compose(undeployed -> {
      if (!undeployed) {
        return store.notServing(tenant.id(), name);
      }
      routes.publishChange(tenant.id(), name);
      vertx.eventBus().publish(ServingAddresses.SYNC, ServingSync.INSTANCE);
      return audit.record(event.target("model:" + name));
    });
  }

  /** The deployment of {@code name} with its state, or 409 / 404. */
  public Future<JsonObject> status(Tenant tenant, String name) {
    return store.find(tenant.id(), name).compose(found -> {
      if (found.isEmpty()) {
        return store.notServing(tenant.id(), name);
      }
      return client.loaded(found.get().modelId(), Duration.ofSeconds(1))
          .map(ready -> found.get().toJson(ready ? "ready" : "loading"));
    });
  }

  /** Until a worker serves the version with the deployment's batching (a redeploy may only change the batching). */
  private Future<Boolean> awaitServing(Deployment d, long deadline) {
    return client.status(d.modelId(), Duration.ofSeconds(1)).compose(status -> {
      boolean ready = status.isPresent() && applies(status.get(), d.batching());
      if (ready || System.nanoTime() > deadline) {
        return Future.succeededFuture(ready);
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(100, id -> later.complete());
      return later.future().compose(v -> awaitServing(d, deadline));
    });
  }

  private static boolean applies(ServingStatus status, Deployment.Batching batching) {
    return status.maxBatchSize() == batching.maxBatchSize()
        && status.maxBatchDelayMs() == batching.maxBatchDelayMs()
        && status.maxQueue() == batching.maxQueue();
  }
}

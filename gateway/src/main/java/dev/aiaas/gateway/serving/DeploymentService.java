package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.tenants.Tenant;
import dev.aiaas.worker.api.ServingAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/**
 * Deploys and undeploys model versions. The deployment is written to PostgreSQL first (so it
 * survives any restart), then the workers are told to sync; the call waits until a worker answers
 * for the new version (up to {@link #READY_WAIT}) and only then moves every gateway's route to it.
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
          vertx.eventBus().publish(ServingAddresses.SYNC, new JsonObject());
          return awaitLoaded(deployment.modelId(), System.nanoTime() + READY_WAIT.toNanos()).map(ready -> {
            routes.publishChange(tenant.id(), name);
            return deployment.toJson(ready ? "ready" : "loading");
          });
        })
        .compose(answer -> audit.record(event.target("model:" + name).detail("version", version)).map(answer));
  }

  public Future<Void> undeploy(Tenant tenant, String name, AuditEvent event) {
    return store.undeploy(tenant.id(), name).compose(undeployed -> {
      if (!undeployed) {
        return store.modelExists(tenant.id(), name).compose(exists -> Future.failedFuture(exists
            ? PredictionClient.notDeployed(name) : ApiException.notFound("no model named '" + name + "'")));
      }
      routes.publishChange(tenant.id(), name);
      vertx.eventBus().publish(ServingAddresses.SYNC, new JsonObject());
      return audit.record(event.target("model:" + name));
    });
  }

  /** The deployment of {@code name} with its state, or 409 / 404. */
  public Future<JsonObject> status(Tenant tenant, String name) {
    return store.find(tenant.id(), name).compose(found -> {
      if (found.isEmpty()) {
        return store.modelExists(tenant.id(), name).compose(exists -> Future.failedFuture(exists
            ? PredictionClient.notDeployed(name) : ApiException.notFound("no model named '" + name + "'")));
      }
      return client.loaded(found.get().modelId(), Duration.ofSeconds(1))
          .map(ready -> found.get().toJson(ready ? "ready" : "loading"));
    });
  }

  private Future<Boolean> awaitLoaded(UUID modelId, long deadline) {
    return client.loaded(modelId, Duration.ofSeconds(1)).compose(ready -> {
      if (ready || System.nanoTime() > deadline) {
        return Future.succeededFuture(ready);
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(200, id -> later.complete());
      return later.future().compose(v -> awaitLoaded(modelId, deadline));
    });
  }
}

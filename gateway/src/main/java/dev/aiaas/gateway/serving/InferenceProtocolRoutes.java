package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.workers.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The Open Inference Protocol (KServe V2) over the same deployments as v1: health, model
 * metadata and readiness, and infer. See {@link InferenceProtocol} for the tensor conventions.
 */
public final class InferenceProtocolRoutes {

  private final Predictions predictions;
  private final PredictionClient client;
  private final WorkerRegistry workers;

  public InferenceProtocolRoutes(Predictions predictions, PredictionClient client, WorkerRegistry workers) {
    this.predictions = predictions;
    this.client = client;
    this.workers = workers;
  }

  public void register(Operations operations) {
    Access predict = Access.requires(Permission.PREDICT);
    operations
        .handle("inferenceServerLive", predict, ctx -> Future.succeededFuture(Reply.ok(new JsonObject().put("live", true))))
        .handle("inferenceServerReady", predict, ctx -> workers.live().isEmpty()
            // The protocol signals "not ready" with a 4xx status.
            ? Future.failedFuture(ApiException.conflict("no-workers", "no worker is connected; predictions cannot be served"))
            : Future.succeededFuture(Reply.ok(new JsonObject().put("ready", true))))
        .handle("inferenceModelMetadata", predict, ctx -> predictions.deployment(ServingRoutes.tenant(ctx), ServingRoutes.name(ctx))
            .map(d -> Reply.ok(InferenceProtocol.metadata(d))))
        .handle("inferenceModelReady", predict, ctx -> predictions.deployment(ServingRoutes.tenant(ctx), ServingRoutes.name(ctx))
            .compose(d -> client.loaded(d.modelId(), Duration.ofSeconds(1)).compose(ready -> ready
                ? Future.succeededFuture(Reply.ok(new JsonObject().put("name", d.name()).put("ready", true)))
                : Future.failedFuture(ApiException.conflict("model-loading", "model '" + d.name() + "' version " + d.version()
                    + " is deployed but no worker has loaded it yet")))))
        .handle("inferenceModelInfer", predict, ctx -> predictions.deployment(ServingRoutes.tenant(ctx), ServingRoutes.name(ctx))
            .compose(d -> {
              JsonObject request = ctx.body().asJsonObject();
              return Future.succeededFuture(request).map(r -> InferenceProtocol.instances(d, r))
                  .compose(instances -> predictions.predict(ctx, d, instances))
                  .map(answer -> Reply.ok(InferenceProtocol.response(d, answer, request)));
            }));
  }
}

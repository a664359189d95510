package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.workers.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The Open Inference Protocol (KServe V2) over the same deployments as v1: health, model
 * metadata and readiness, and infer. See {@link InferenceProtocol} for the tensor conventions.
 */
public final class InferenceProtocolRoutes {

  /** The server version V2 clients read in the server metadata. */
  private static final String SERVER_VERSION = InferenceProtocolRoutes.class.getPackage().getImplementationVersion() == null
      ? "dev" : InferenceProtocolRoutes.class.getPackage().getImplementationVersion();

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
        .handle("inferenceServerMetadata", predict, ctx -> Future.succeededFuture(Reply.ok(new JsonObject()
            .put("name", "aiaas").put("version", SERVER_VERSION).put("extensions", new JsonArray()))))
        .handle("inferenceServerLive", predict, ctx -> Future.succeededFuture(Reply.ok(new JsonObject().put("live", true))))
        .handle("inferenceServerReady", predict, ctx -> workers.live().isEmpty()
            // The protocol signals "not ready" with a 4xx status.
            ? Future.failedFuture(ApiException.conflict("no-workers", "no worker is connected; predictions cannot be served"))
            : Future.succeededFuture(Reply.ok(new JsonObject().put("ready", true))))
        .handle("inferenceModelMetadata", predict, ctx -> deployment(ctx).map(d -> Reply.ok(InferenceProtocol.metadata(d))))
        .handle("inferenceModelVersionMetadata", predict, ctx -> deployment(ctx).map(d -> Reply.ok(InferenceProtocol.metadata(d))))
        .handle("inferenceModelReady", predict, this::ready)
        .handle("inferenceModelVersionReady", predict, this::ready)
        .handle("inferenceModelInfer", predict, this::infer)
        .handle("inferenceModelVersionInfer", predict, this::infer);
  }

  /**
   * The deployment the path names; on the {@code /versions/{version}} paths, 404 unless that is
   * the deployed version (only the deployed version is served).
   */
  private Future<Deployment> deployment(RoutingContext ctx) {
    return predictions.deployment(ServingRoutes.tenant(ctx), ServingRoutes.name(ctx)).compose(d -> {
      String version = ctx.pathParam("version");
      if (version != null && !version.equals(Integer.toString(d.version()))) {
        return Future.failedFuture(ApiException.notFound("model '" + d.name() + "' version " + version
            + " is not deployed; version " + d.version() + " is"));
      }
      return Future.succeededFuture(d);
    });
  }

  private Future<Reply> ready(RoutingContext ctx) {
    return deployment(ctx).compose(d -> client.loaded(d.modelId(), Duration.ofSeconds(1)).compose(ready -> ready
        ? Future.succeededFuture(Reply.ok(new JsonObject().put("name", d.name()).put("ready", true)))
        : Future.failedFuture(ApiException.conflict("model-loading", "model '" + d.name() + "' version " + d.version()
            + " is deployed but no worker has loaded it yet"))));
  }

  private Future<Reply> infer(RoutingContext ctx) {
    return deployment(ctx).compose(d -> {
      JsonObject request = ctx.body().asJsonObject();
      return Future.succeededFuture(request).map(r -> InferenceProtocol.instances(d, r))
          .compose(instances -> predictions.predict(ctx, d, instances))
          .map(answer -> Reply.ok(InferenceProtocol.response(d, answer, request)));
    });
  }
}

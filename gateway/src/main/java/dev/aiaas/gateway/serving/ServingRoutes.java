package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.auth.Tenants;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.tenants.Tenant;
import dev.aiaas.worker.api.ExplainAnswer;
import dev.aiaas.worker.api.ExplainRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /v1/models/{name}/deployment}, {@code /v1/models/{name}/predict} and {@code /v1/models/{name}/explain}. */
public final class ServingRoutes {

  private final DeploymentService deployments;
  private final Predictions predictions;

  public ServingRoutes(DeploymentService deployments, Predictions predictions) {
    this.deployments = deployments;
    this.predictions = predictions;
  }

  public void register(Operations operations) {
    operations
        .handle("deployModel", Access.requires(Permission.TRAIN), ctx -> deployments.deploy(tenant(ctx), name(ctx),
            ctx.body().asJsonObject(), AuditLog.event(ctx, Principals.of(ctx), "model.deployed")).map(Reply::ok))
        .handle("getDeployment", Access.requires(Permission.READ), ctx -> deployments.status(tenant(ctx), name(ctx)).map(Reply::ok))
        .handle("undeployModel", Access.requires(Permission.TRAIN), ctx -> deployments.undeploy(tenant(ctx), name(ctx),
            AuditLog.event(ctx, Principals.of(ctx), "model.undeployed")).map(v -> Reply.noContent()))
        .handle("predict", Access.requires(Permission.PREDICT), new PredictRequestCheck(), ctx -> predictions.predict(ctx, name(ctx),
                ctx.body().asJsonObject().getJsonArray("instances"))
            .map(answer -> Reply.ok(new JsonObject().put("predictions", answer.predictions()).put("model", name(ctx))
                .put("version", answer.version()))))
        .handle("explain", Access.requires(Permission.PREDICT), PredictRequestCheck.forExplain(), ctx -> {
          JsonObject body = ctx.body().asJsonObject();
          return predictions.explain(ctx, name(ctx), body.getJsonArray("instances"),
                  body.getInteger("steps", ExplainRequest.DEFAULT_STEPS))
              .map(answer -> Reply.ok(explainBody(name(ctx), answer)));
        });
  }

  /** The API's explain response: integrated gradients name their baseline and steps, saliency maps need neither. */
  static JsonObject explainBody(String model, ExplainAnswer answer) {
    JsonObject body = new JsonObject().put("model", model).put("version", answer.version()).put("method", answer.method());
    if (ExplainAnswer.INTEGRATED_GRADIENTS.equals(answer.method())) {
      body.put("baseline", "training_means").put("steps", answer.steps());
    }
    return body.put("explanations", answer.explanations());
  }

  static Tenant tenant(RoutingContext ctx) {
    return Tenants.of(ctx).orElseThrow();
  }

  static String name(RoutingContext ctx) {
    return ctx.pathParam("name");
  }
}

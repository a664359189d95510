package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.auth.Tenants;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.tenants.Tenant;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /v1/models/{name}/deployment} and {@code /v1/models/{name}/predict}. */
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
                .put("version", answer.version()))));
  }

  static Tenant tenant(RoutingContext ctx) {
    return Tenants.of(ctx).orElseThrow();
  }

  static String name(RoutingContext ctx) {
    return ctx.pathParam("name");
  }
}

package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.auth.Tenants;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.metering.Metering;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.quota.QuotaLedger;
import dev.aiaas.gateway.tenants.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Optional;

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
        .handle("predict", Access.requires(Permission.PREDICT), ctx -> predictions.predict(ctx, name(ctx),
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

  /** Online predictions as both APIs make them: route, hold quota, ask the workers, meter what was answered. */
  public static final class Predictions {
    private final RouteTable routes;
    private final DeploymentStore store;
    private final PredictionClient client;
    private final QuotaLedger quotas;

    public Predictions(RouteTable routes, DeploymentStore store, PredictionClient client, QuotaLedger quotas) {
      this.routes = routes;
      this.store = store;
      this.client = client;
      this.quotas = quotas;
    }

    /** The deployment of {@code name}: 404 if the tenant has no such model, 409 if it is not deployed. */
    public Future<Deployment> deployment(Tenant tenant, String name) {
      return routes.route(tenant.id(), name).compose(route -> route.isPresent() ? Future.succeededFuture(route.get())
          : store.modelExists(tenant.id(), name).compose(exists -> Future.failedFuture(exists
              ? PredictionClient.notDeployed(name) : ApiException.notFound("no model named '" + name + "'"))));
    }

    public Future<PredictionClient.Answer> predict(RoutingContext ctx, String name, JsonArray instances) {
      Tenant tenant = tenant(ctx);
      return deployment(tenant, name).compose(d -> predict(ctx, d, instances));
    }

    /** Every instance answered is one {@code predictions} unit, held before and metered with the call. */
    public Future<PredictionClient.Answer> predict(RoutingContext ctx, Deployment d, JsonArray instances) {
      return quotas.reserve(tenant(ctx), Metric.PREDICTIONS, instances.size())
          .compose(reservation -> {
            Metering.hold(ctx, reservation);
            return client.predict(d, instances);
          })
          .onSuccess(answer -> Metering.add(ctx, Metric.PREDICTIONS, BigDecimal.valueOf(answer.predictions().size()),
              Optional.of(d.name())));
    }
  }
}

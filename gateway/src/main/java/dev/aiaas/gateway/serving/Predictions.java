package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.metering.Metering;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.quota.QuotaLedger;
import dev.aiaas.gateway.tenants.Tenant;
import dev.aiaas.worker.api.ExplainAnswer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Optional;

/** Online predictions as both APIs make them: route, hold quota, ask the workers, meter what was answered. */
public final class Predictions {
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
        : store.notServing(tenant.id(), name));
  }

  public Future<PredictionClient.Answer> predict(RoutingContext ctx, String name, JsonArray instances) {
    Tenant tenant = ServingRoutes.tenant(ctx);
    return deployment(tenant, name).compose(d -> predict(ctx, d, instances));
  }

  /**
   * Explanations of the deployed version's predictions: every instance answered is one {@code
   * predictions} unit (held before, like predict) and one {@code explanations} unit.
   */
  public Future<ExplainAnswer> explain(RoutingContext ctx, String name, JsonArray instances, int steps) {
    Tenant tenant = ServingRoutes.tenant(ctx);
    return deployment(tenant, name).compose(d -> quotas.reserve(tenant, Metric.PREDICTIONS, instances.size())
        .compose(reservation -> {
          Metering.hold(ctx, reservation);
          return client.explain(d, instances, steps);
        })
        .onSuccess(answer -> {
          BigDecimal explained = BigDecimal.valueOf(answer.explanations().size());
          Metering.add(ctx, Metric.PREDICTIONS, explained, Optional.of(d.name()));
          Metering.add(ctx, Metric.EXPLANATIONS, explained, Optional.of(d.name()));
        }));
  }

  /** Every instance answered is one {@code predictions} unit, held before and metered with the call. */
  public Future<PredictionClient.Answer> predict(RoutingContext ctx, Deployment d, JsonArray instances) {
    return quotas.reserve(ServingRoutes.tenant(ctx), Metric.PREDICTIONS, instances.size())
        .compose(reservation -> {
          Metering.hold(ctx, reservation);
          return client.predict(d, instances);
        })
        .onSuccess(answer -> Metering.add(ctx, Metric.PREDICTIONS, BigDecimal.valueOf(answer.predictions().size()),
            Optional.of(d.name())));
  }
}

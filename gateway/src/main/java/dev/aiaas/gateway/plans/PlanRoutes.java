package dev.aiaas.gateway.plans;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Admin API for plans: {@code /v1/admin/plans}. */
public final class PlanRoutes {

  private final PlanService plans;
  private final AuditLog audit;

  public PlanRoutes(PlanService plans, AuditLog audit) {
    this.plans = plans;
    this.audit = audit;
  }

  public void register(Operations operations) {
    Access admin = Access.requires(Permission.ADMINISTER_PLATFORM);
    operations
        .handle("createPlan", admin, this::create)
        .handle("listPlans", admin, ctx -> plans.list().map(list -> Reply.list(list.stream().map(Plan::toJson).toList())))
        .handle("updatePlan", admin, this::update);
  }

  private Future<Reply> create(RoutingContext ctx) {
    return plans.create(ctx.body().asJsonObject())
        .compose(plan -> audit.record(AuditLog.event(ctx, Principals.of(ctx), "plan.created")
                .target("plan:" + plan.id()).detail("name", plan.name()))
            .map(Reply.created(plan.toJson())));
  }

  private Future<Reply> update(RoutingContext ctx) {
    JsonObject patch = ctx.body().asJsonObject();
    return plans.update(UUID.fromString(ctx.pathParam("id")), patch)
        .compose(plan -> audit.record(AuditLog.event(ctx, Principals.of(ctx), "plan.updated")
                .target("plan:" + plan.id()).detail("fields", new JsonArray(patch.fieldNames().stream().sorted().toList())))
            .map(Reply.ok(plan.toJson())));
  }
}

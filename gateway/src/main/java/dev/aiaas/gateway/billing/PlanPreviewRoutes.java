package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.plans.PlanService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** {@code POST /v1/admin/plans/preview}: what usage would cost under a stored or unsaved plan. */
public final class PlanPreviewRoutes {

  private final PlanService plans;
  private final PlanPreview preview;

  public PlanPreviewRoutes(PlanService plans, PlanPreview preview) {
    this.plans = plans;
    this.preview = preview;
  }

  public void register(Operations operations) {
    operations.handle("previewPlan", Access.requires(Permission.ADMINISTER_PLATFORM), this::preview);
  }

  private Future<Reply> preview(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if (body.containsKey("plan") == body.containsKey("plan_id")) {
      String message = "give exactly one of plan (a plan body) and plan_id";
      return Future.failedFuture(ApiException.badRequest("validation-failed", "plan: " + message)
          .withFieldErrors(new JsonArray().add(new JsonObject().put("field", "plan").put("message", message))));
    }
    return plans.forPreview(PlanPreview.planId(body), Optional.ofNullable(body.getJsonObject("plan")))
        .map(plan -> Reply.ok(preview.preview(plan, body.getJsonObject("usage"))));
  }
}

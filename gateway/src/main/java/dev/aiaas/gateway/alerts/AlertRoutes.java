package dev.aiaas.gateway.alerts;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;

/** The owner's quota alerts: {@code /v1/alerts}, its signing secret and its delivery log. */
public final class AlertRoutes {

  private static final int DEFAULT_DELIVERIES = 50;

  private final AlertService alerts;

  public AlertRoutes(AlertService alerts) {
    this.alerts = alerts;
  }

  public void register(Operations operations) {
    Access owner = Access.requires(Permission.OWN_TENANT);
    operations
        .handle("getAlerts", owner, ctx -> alerts.settings(Principals.of(ctx).tenant()).map(settings -> Reply.ok(settings.toJson())))
        .handle("putAlerts", owner, ctx -> alerts.save(Principals.of(ctx).tenant(), ctx.body().asJsonObject(),
                AuditLog.event(ctx, Principals.of(ctx), "alerts.updated"))
            .map(json -> json.containsKey("webhook_secret") ? Reply.ok(json).withSecret() : Reply.ok(json)))
        .handle("rotateWebhookSecret", owner, ctx -> alerts.rotateSecret(Principals.of(ctx).tenant(),
                AuditLog.event(ctx, Principals.of(ctx), "alerts.webhook_secret_rotated"))
            .map(json -> Reply.ok(json).withSecret()))
        .handle("listAlertDeliveries", owner, ctx -> {
          String limit = ctx.request().getParam("limit");
          return alerts.deliveries(Principals.of(ctx).tenant(), limit == null ? DEFAULT_DELIVERIES : Integer.parseInt(limit))
              .map(Reply::list);
        });
  }
}

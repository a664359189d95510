package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.UUID;

/** The operator's billing API: close periods, adjust drafts, read any invoice, export. */
public final class BillingAdminRoutes {

  private final BillingService billing;
  private final BillingExport export;

  public BillingAdminRoutes(BillingService billing, BillingExport export) {
    this.billing = billing;
    this.export = export;
  }

  public void register(Operations operations) {
    Access admin = Access.requires(Permission.ADMINISTER_PLATFORM);
    operations
        .handle("listBillingPeriods", admin, ctx -> billing.periods().map(Reply::list))
        .handle("closeBillingPeriod", admin, this::close)
        .handle("getTenantInvoice", admin, this::invoice)
        .handle("createInvoiceAdjustment", admin, this::adjust)
        .raw("exportBilling", admin, export::handle);
  }

  private Future<Reply> close(RoutingContext ctx) {
    Principal admin = Principals.of(ctx);
    return billing.close(BillingPeriod.parse(ctx.pathParam("period"), "period"), admin.userId(),
            AuditLog.event(ctx, admin, "billing.period_closed"))
        .map(Reply::ok);
  }

  private Future<Reply> invoice(RoutingContext ctx) {
    BillingPeriod period = BillingPeriod.parse(ctx.pathParam("period"), "period");
    UUID tenant = UUID.fromString(ctx.pathParam("id"));
    return billing.invoice(tenant, period)
        .map(invoice -> Reply.ok(invoice.orElseThrow(() -> ApiException.notFound("no invoice of tenant " + tenant + " for " + period))
            .toJson()));
  }

  private Future<Reply> adjust(RoutingContext ctx) {
    Principal admin = Principals.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    BigDecimal amount = new BigDecimal(body.getString("amount"));
    return billing.adjust(UUID.fromString(ctx.pathParam("id")), BillingPeriod.parse(ctx.pathParam("period"), "period"), amount,
            body.getString("reason"), admin.userId(), AuditLog.event(ctx, admin, "invoice.adjusted"))
        .map(invoice -> Reply.created(invoice.toJson()));
  }
}

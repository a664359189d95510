package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The tenant owner's invoices: {@code /v1/invoices}. */
public final class InvoiceRoutes {

  private final BillingService billing;

  public InvoiceRoutes(BillingService billing) {
    this.billing = billing;
  }

  public void register(Operations operations) {
    Access owner = Access.requires(Permission.OWN_TENANT);
    operations
        .handle("listInvoices", owner, ctx -> billing.invoices(Principals.of(ctx).tenant())
            .map(invoices -> Reply.list(invoices.stream().map(Invoice::toJson).toList())))
        .handle("getInvoice", owner, this::get);
  }

  private Future<Reply> get(RoutingContext ctx) {
    BillingPeriod period = BillingPeriod.parse(ctx.pathParam("period"), "period");
    return billing.invoice(Principals.of(ctx).tenant(), period)
        .map(invoice -> Reply.ok(invoice.orElseThrow(() -> ApiException.notFound("no invoice for " + period)).toJson()));
  }
}

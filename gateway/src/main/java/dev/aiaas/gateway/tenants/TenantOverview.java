package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.billing.BillingPeriod;
import dev.aiaas.gateway.billing.BillingService;
import dev.aiaas.gateway.billing.Invoice;
import dev.aiaas.gateway.billing.Money;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator's tenant list: each tenant of a page with this month's usage per metric (one query
 * for the page) and its draft invoice (computed by the invoice code, so it equals the invoice
 * endpoint; one computation per tenant of the page, which bounds the cost).
 */
public final class TenantOverview {

  private final TenantStore tenants;
  private final BillingService billing;
  private final Clock clock;

  public TenantOverview(TenantStore tenants, BillingService billing, Clock clock) {
    this.tenants = tenants;
    this.billing = billing;
    this.clock = clock;
  }

  public Future<List<JsonObject>> page(int limit, int offset) {
    BillingPeriod period = BillingPeriod.containing(clock.instant());
    return tenants.list(limit, offset).compose(page -> {
      List<UUID> ids = page.stream().map(Tenant::id).toList();
      Future<Map<UUID, Map<String, BigDecimal>>> usage = ids.isEmpty() ? Future.succeededFuture(Map.of())
          : tenants.usage(ids, period.start(), period.end());
      List<Future<Optional<Invoice>>> drafts = new ArrayList<>();
      ids.forEach(id -> drafts.add(billing.invoice(id, period)));
      return Future.all(usage, Future.all(drafts)).map(all -> {
        Map<UUID, Map<String, BigDecimal>> used = all.resultAt(0);
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
          Tenant tenant = page.get(i);
          JsonObject quantities = new JsonObject();
          used.getOrDefault(tenant.id(), Map.of()).forEach((metric, quantity) -> quantities.put(metric, quantity.toPlainString()));
          Optional<Invoice> draft = drafts.get(i).result();
          rows.add(tenant.toJson()
              .put("usage", new JsonObject().put("period", period.toString()).put("metrics", quantities))
              .put("draft_invoice", draft.map(inv -> new JsonObject().put("period", period.toString()).put("status", inv.status())
                  .put("currency", inv.currency()).put("total", Money.format(inv.total()))).orElse(null)));
        }
        return rows;
      });
    });
  }
}

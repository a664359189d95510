package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.alerts.AlertService;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.gateway.metering.UsageStore;
import dev.aiaas.gateway.quota.QuotaPeriod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** {@code GET /v1/tenant}: the caller's own tenant, its plan, its live quota status and crossed alert thresholds. */
public final class TenantRoutes {

  /** Period quotas the tenant sees; storage and concurrency caps are enforced where they apply. */
  private static final List<Metric> PERIOD_QUOTAS = List.of(Metric.API_CALLS, Metric.PREDICTIONS, Metric.TRAINING_SECONDS);

  private final TenantDirectory directory;
  private final UsageStore usage;
  private final StorageMeter storage;
  private final Clock clock;
  private final AlertService alerts;

  public TenantRoutes(TenantDirectory directory, UsageStore usage, StorageMeter storage, Clock clock, AlertService alerts) {
    this.directory = directory;
    this.usage = usage;
    this.storage = storage;
    this.clock = clock;
    this.alerts = alerts;
  }

  public void register(Operations operations) {
    operations.handle("getTenant", Access.requires(Permission.READ), ctx -> {
      QuotaPeriod period = QuotaPeriod.containing(clock.instant());
      return directory.get(Principals.of(ctx).tenant())
          .map(found -> found.orElseThrow(() -> ApiException.notFound("tenant not found")))
          .compose(tenant -> usage.totals(tenant.id(), period.start(), period.end())
              .compose(totals -> storage.stored(tenant.id()).compose(stored -> alerts.active(tenant.id()).map(active -> Reply.ok(new JsonObject()
                  .put("id", tenant.id().toString())
                  .put("name", tenant.name())
                  .put("status", tenant.status())
                  .put("plan", tenant.plan().toJson())
                  .put("quotas", quotas(tenant, totals, period).put("storage_bytes", storageQuota(tenant, stored)))
                  .put("alerts", new JsonArray(new java.util.ArrayList<>(active)))
                  .put("created_at", tenant.createdAt().toInstant().toString()))))));
    });
  }

  /** Storage is a level, not a monthly count: what is stored now against the plan's cap. */
  private static JsonObject storageQuota(Tenant tenant, long stored) {
    OptionalLong limit = tenant.plan().limit(Metric.STORAGE_BYTES.wireName());
    return new JsonObject()
        .put("used", Long.toString(stored))
        .put("limit", limit.isPresent() ? limit.getAsLong() : null)
        .put("soft", tenant.plan().isSoft(Metric.STORAGE_BYTES.wireName()))
        .put("unit", Metric.STORAGE_BYTES.unit())
        .put("resets_at", null);
  }

  private static JsonObject quotas(Tenant tenant, Map<Metric, BigDecimal> totals, QuotaPeriod period) {
    JsonObject quotas = new JsonObject();
    for (Metric metric : PERIOD_QUOTAS) {
      OptionalLong limit = tenant.plan().limit(metric.wireName());
      quotas.put(metric.wireName(), new JsonObject()
          .put("used", totals.getOrDefault(metric, BigDecimal.ZERO).stripTrailingZeros().toPlainString())
          .put("limit", limit.isPresent() ? limit.getAsLong() : null)
          .put("soft", tenant.plan().isSoft(metric.wireName()))
          .put("unit", metric.unit())
          .put("resets_at", period.end().toString()));
    }
    return quotas;
  }
}

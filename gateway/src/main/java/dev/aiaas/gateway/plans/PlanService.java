package dev.aiaas.gateway.plans;

import dev.aiaas.gateway.db.Sql;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creating and changing plans. The contract checks the shapes; this checks what a schema cannot
 * (tier order, soft limits naming quota metrics) and tells the tenant cache when a plan changes.
 */
public final class PlanService {

  /** Metrics whose quota may be soft. */
  static final List<String> QUOTA_METRICS = List.of("api_calls", "predictions", "training_seconds", "storage_bytes");

  private final PlanStore store;
  private final Runnable onChange;

  /** {@code onChange} runs after a plan changed, so cached tenants pick up the new limits. */
  public PlanService(PlanStore store, Runnable onChange) {
    this.store = store;
    this.onChange = onChange;
  }

  public Future<Plan> create(JsonObject body) {
    PlanStore.PlanFields fields = fields(body, Optional.empty());
    return store.insert(fields).recover(failure -> Future.failedFuture(Sql.isUniqueViolation(failure)
        ? ApiException.conflict("plan-exists", "a plan named '" + fields.name() + "' already exists") : failure));
  }

  /** Applies the fields present in {@code patch}; the others keep their values. */
  public Future<Plan> update(UUID id, JsonObject patch) {
    return store.byId(id)
        .compose(existing -> {
          Plan plan = existing.orElseThrow(() -> ApiException.notFound("no plan with id " + id));
          PlanStore.PlanFields fields = fields(patch, Optional.of(plan));
          return store.update(id, fields).recover(failure -> Future.failedFuture(Sql.isUniqueViolation(failure)
              ? ApiException.conflict("plan-exists", "a plan named '" + fields.name() + "' already exists") : failure));
        })
        .map(updated -> updated.orElseThrow(() -> ApiException.notFound("no plan with id " + id)))
        .onSuccess(ignored -> onChange.run());
  }

  public Future<List<Plan>> list() {
    return store.list();
  }

  /**
   * The plan a preview prices by: a stored plan ({@code plan_id}) or an unsaved one checked by the
   * same rules as {@link #create} ({@code plan}, a full plan body), so a form can be tried before saving.
   */
  public Future<Plan> forPreview(Optional<UUID> planId, Optional<JsonObject> body) {
    if (planId.isPresent()) {
      return store.byId(planId.get()).map(p -> p.orElseThrow(() -> field("plan_id", "no plan with id " + planId.get())));
    }
    JsonObject plan = body.orElseThrow(() -> field("plan", "give either plan (a plan body) or plan_id"));
    PlanStore.PlanFields f;
    try {
      f = fields(plan, Optional.empty());
    } catch (ApiException e) {
      return Future.failedFuture(underPlan(e));
    }
    java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
    return Future.succeededFuture(new Plan(new UUID(0, 0), f.name(), f.currency(), f.baseFee(), Optional.ofNullable(f.ratePerSecond()),
        Optional.ofNullable(f.rateBurst()), f.limits(), f.softLimits(), f.prices(), now, now));
  }

  private static PlanStore.PlanFields fields(JsonObject body, Optional<Plan> base) {
    String name = body.getString("name", base.map(Plan::name).orElse(null));
    String currency = body.getString("currency", base.map(Plan::currency).orElse("USD"));
    BigDecimal baseFee = body.containsKey("base_fee") ? new BigDecimal(body.getString("base_fee"))
        : base.map(Plan::baseFee).orElse(BigDecimal.ZERO);
    Integer rate = base.flatMap(Plan::ratePerSecond).orElse(null);
    Integer burst = base.flatMap(Plan::rateBurst).orElse(null);
    if (body.containsKey("rate_limit")) {
      JsonObject rateLimit = body.getJsonObject("rate_limit");
      rate = rateLimit == null ? null : rateLimit.getInteger("requests_per_second");
      burst = rateLimit == null ? null : rateLimit.getInteger("burst", rate);
      if (burst != null && rate != null && burst < 1) {
        throw field("rate_limit.burst", "must be at least 1");
      }
    }
    JsonObject limits = base.map(p -> p.limits().copy()).orElseGet(JsonObject::new);
    if (body.containsKey("limits")) {
      limits.mergeIn(body.getJsonObject("limits"));
    }
    List<String> softLimits = base.map(Plan::softLimits).orElse(List.of());
    if (body.containsKey("soft_limits")) {
      softLimits = new ArrayList<>();
      for (Object metric : body.getJsonArray("soft_limits")) {
        if (!QUOTA_METRICS.contains(metric)) {
          throw field("soft_limits", "'" + metric + "' is not a quota metric (" + String.join(", ", QUOTA_METRICS) + ")");
        }
        softLimits.add((String) metric);
      }
    }
    JsonObject prices = body.containsKey("prices") ? body.getJsonObject("prices") : base.map(Plan::prices).orElseGet(JsonObject::new);
    prices.forEach(entry -> checkPrice(entry.getKey(), (JsonObject) entry.getValue()));
    return new PlanStore.PlanFields(name, currency, baseFee, rate, burst, limits, List.copyOf(softLimits), prices);
  }

  /** The same error with its fields named from the preview request, where the plan is under {@code plan}. */
  private static ApiException underPlan(ApiException e) {
    JsonArray errors = e.extensions().getJsonArray("errors", new JsonArray());
    JsonArray prefixed = new JsonArray();
    errors.forEach(err -> prefixed.add(((JsonObject) err).copy().put("field", "plan." + ((JsonObject) err).getString("field"))));
    return ApiException.badRequest(e.slug(), "plan." + e.detail()).withFieldErrors(prefixed);
  }

  /** Graduated tiers must climb: each {@code up_to} above the last, only the last unbounded. */
  private static void checkPrice(String metric, JsonObject price) {
    JsonArray tiers = price.getJsonArray("tiers");
    if (tiers == null) {
      return;
    }
    long previous = price.getLong("included", 0L);
    for (int i = 0; i < tiers.size(); i++) {
      Object upTo = tiers.getJsonObject(i).getValue("up_to");
      boolean last = i == tiers.size() - 1;
      if (upTo == null && !last) {
        throw field("prices." + metric + ".tiers[" + i + "].up_to", "only the last tier may be unbounded (null)");
      }
      if (upTo != null) {
        long bound = ((Number) upTo).longValue();
        if (bound <= previous) {
          throw field("prices." + metric + ".tiers[" + i + "].up_to", "must be greater than " + previous);
        }
        previous = bound;
      }
    }
  }

  private static ApiException field(String field, String message) {
    return ApiException.badRequest("validation-failed", field + ": " + message)
        .withFieldErrors(new JsonArray().add(new JsonObject().put("field", field).put("message", message)));
  }
}

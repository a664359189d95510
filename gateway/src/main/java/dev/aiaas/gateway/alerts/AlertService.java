package dev.aiaas.gateway.alerts;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.quota.QuotaPeriod;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A tenant's quota alerts: thresholds and webhook, the signing secret, crossings and the delivery log. */
public final class AlertService {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final AlertStore store;
  private final WebhookTargets targets;
  private final AuditLog audit;
  private final Clock clock;
  private final AlertMonitor monitor;

  public AlertService(Vertx vertx, Pool pool, DataKeys keys, AuditLog audit, boolean allowPrivateTargets, AlertTiming timing,
      Clock clock) {
    this.pool = pool;
    this.store = new AlertStore(pool, keys);
    this.targets = new WebhookTargets(vertx.createDnsClient(), allowPrivateTargets);
    this.audit = audit;
    this.clock = clock;
    WebhookSender sender = new WebhookSender(vertx.createHttpClient(new HttpClientOptions()), targets, timing, clock);
    this.monitor = new AlertMonitor(vertx, pool, store, sender, timing, clock);
  }

  public AlertMonitor monitor() {
    return monitor;
  }

  public Future<AlertSettings> settings(UUID tenantId) {
    return store.settings(tenantId);
  }

  /**
   * Replaces the settings after checking them (the webhook target included). The first save
   * creates the signing secret and answers it once, in {@code webhook_secret}.
   */
  public Future<JsonObject> save(UUID tenantId, JsonObject body, AuditEvent event) {
    JsonObject thresholds = thresholds(body.getJsonObject("thresholds", new JsonObject()));
    Optional<String> url = Optional.ofNullable(body.getString("webhook_url"));
    Future<Void> checked = url.isEmpty() ? Future.succeededFuture()
        : targets.check(url.get()).<Void>mapEmpty().recover(failure -> Future.failedFuture(failure instanceof WebhookTargets.Refused refused
            ? invalid("webhook_url", "webhook_url " + refused.getMessage()) : failure));
    String secret = newSecret();
    return checked.compose(ok -> pool.withTransaction(tx -> store.save(tx, tenantId, thresholds, url, secret)
            // Only the host: webhook URLs often carry a token in their path, and the audit log is widely read.
            .compose(saved -> audit.record(tx, event.target("alerts").detail("thresholds", thresholds)
                    .detail("webhook_host", url.map(u -> WebhookTargets.parse(u).host()).orElse(null)))
                .map(saved))))
        .map(saved -> {
          JsonObject json = saved.settings().toJson();
          return saved.created() ? json.put("webhook_secret", secret) : json;
        });
  }

  /** A new signing secret, answered this once; deliveries from now on are signed with it. */
  public Future<JsonObject> rotateSecret(UUID tenantId, AuditEvent event) {
    String secret = newSecret();
    return pool.withTransaction(tx -> store.rotateSecret(tx, tenantId, secret)
            .compose(ok -> audit.record(tx, event.target("alerts"))))
        .map(ok -> new JsonObject().put("webhook_secret", secret));
  }

  /** The crossings of the current period, for the tenant's overview banner. */
  public Future<List<JsonObject>> active(UUID tenantId) {
    return store.active(tenantId, QuotaPeriod.containing(clock.instant()).toString())
        .map(crossings -> crossings.stream().map(AlertStore.Crossing::toJson).toList());
  }

  public Future<List<JsonObject>> deliveries(UUID tenantId, int limit) {
    return store.deliveries(tenantId, limit);
  }

  private static JsonObject thresholds(JsonObject requested) {
    JsonArray errors = new JsonArray();
    JsonObject thresholds = new JsonObject();
    for (Map.Entry<String, Object> e : requested) {
      Optional<Metric> metric = Metric.fromWire(e.getKey()).filter(AlertMonitor.PERIOD_METRICS::contains);
      if (metric.isEmpty()) {
        errors.add(new JsonObject().put("field", "thresholds." + e.getKey())
            .put("message", "not a period quota metric (api_calls, predictions, training_seconds)"));
      } else if (!(e.getValue() instanceof Integer percent) || percent < 1 || percent > 100) {
        errors.add(new JsonObject().put("field", "thresholds." + e.getKey()).put("message", "must be a whole percentage between 1 and 100"));
      } else {
        thresholds.put(e.getKey(), percent);
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("validation-failed", "invalid thresholds").withFieldErrors(errors);
    }
    return thresholds;
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.badRequest("validation-failed", message)
        .withFieldErrors(new JsonArray().add(new JsonObject().put("field", field).put("message", message)));
  }

  private static String newSecret() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }
}

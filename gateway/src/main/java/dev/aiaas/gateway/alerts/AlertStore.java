package dev.aiaas.gateway.alerts;

import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.ChunkCipher;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for alert settings, threshold crossings and webhook deliveries. */
public final class AlertStore {

  /** Every crossing not yet recorded this period, for every tenant with alert settings, in one statement. */
  private static final String INSERT_CROSSINGS = """
      INSERT INTO alert_crossings (id, tenant_id, metric, threshold, period, used, quota_limit)
      SELECT gen_random_uuid(), u.tenant_id, u.metric, th.value::int, $3, u.used, (p.limits ->> u.metric)::bigint
      FROM (SELECT d.tenant_id, d.metric, sum(d.quantity) AS used
            FROM usage_daily d JOIN alert_settings s ON s.tenant_id = d.tenant_id
            WHERE d.bucket_start >= $1 AND d.bucket_start < $2 AND d.metric = ANY($4)
            GROUP BY 1, 2) u
      JOIN alert_settings s ON s.tenant_id = u.tenant_id
      JOIN tenants t ON t.id = u.tenant_id
      JOIN plans p ON p.id = t.plan_id
      JOIN LATERAL jsonb_each_text(s.thresholds) th(metric, value) ON th.metric = u.metric
      WHERE jsonb_typeof(p.limits -> u.metric) = 'number'
        AND u.used * 100 >= th.value::numeric * (p.limits ->> u.metric)::numeric
      ON CONFLICT (tenant_id, metric, threshold, period) DO NOTHING
      RETURNING id, tenant_id, metric, threshold, period, used, quota_limit, crossed_at
      """;

  /** Due deliveries, claimed by pushing their next attempt past the lease so no other node takes them. */
  private static final String CLAIM_DUE = """
      UPDATE webhook_deliveries d
      SET next_attempt_at = now() + make_interval(secs => $2), url = coalesce(s.webhook_url, d.url)
      FROM alert_settings s
      WHERE s.tenant_id = d.tenant_id AND d.id IN (
        SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.tenant_id, d.url, d.payload, d.attempts, s.webhook_secret, s.webhook_secret_nonce, s.webhook_secret_sealed,
                s.webhook_url IS NOT NULL AS has_url
      """;

  private final Pool pool;
  private final DataKeys keys;

  public AlertStore(Pool pool, DataKeys keys) {
    this.pool = pool;
    this.keys = keys;
  }

  private static boolean warn(Throwable failure) {
    org.slf4j.LoggerFactory.getLogger(AlertStore.class).warn("a webhook signing secret cannot be opened: {}", failure.getMessage());
    return false;
  }

  /** The signing secret is sealed under the tenant's data key: it must be recoverable to sign, so it cannot be hashed. */
  private static ChunkAad secretAad(UUID tenantId) {
    return new ChunkAad(ChunkAad.WEBHOOK_SECRET, tenantId, tenantId, 0, true);
  }

  private Future<ChunkCipher.Sealed> sealSecret(UUID tenantId, String secret) {
    return keys.seal(secretAad(tenantId), secret.getBytes(StandardCharsets.UTF_8));
  }

  /** A crossing as recorded: the threshold of a metric reached in a period. */
  public record Crossing(UUID id, UUID tenantId, String metric, int threshold, String period, BigDecimal used, long limit,
      OffsetDateTime crossedAt) {

    JsonObject toJson() {
      return new JsonObject()
          .put("metric", metric)
          .put("threshold", threshold)
          .put("used", used.stripTrailingZeros().toPlainString())
          .put("limit", limit)
          .put("crossed_at", crossedAt.toInstant().toString());
    }
  }

  /** A delivery claimed for one attempt, with what it takes to sign it. */
  public record DueDelivery(UUID id, UUID tenantId, String url, String payload, int attempts, String secret, boolean hasUrl) {

    @Override
    public String toString() {
      // Records print every component: the secret must not reach a log.
      return "DueDelivery[id=" + id + ", tenantId=" + tenantId + ", url=" + url + ", attempts=" + attempts + "]";
    }
  }

  public Future<AlertSettings> settings(UUID tenantId) {
    return pool.preparedQuery("SELECT thresholds, webhook_url, updated_at FROM alert_settings WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .map(rows -> rows.size() == 0 ? AlertSettings.NONE : settings(rows.iterator().next()));
  }

  private static AlertSettings settings(Row r) {
    return new AlertSettings((JsonObject) r.getValue("thresholds"), Optional.ofNullable(r.getString("webhook_url")),
        Optional.of(r.getOffsetDateTime("updated_at")));
  }

  /** Saved settings, and whether this call created them (then {@code secret} was stored, else ignored). */
  public record Saved(AlertSettings settings, boolean created) {}

  /** Creates or replaces the settings; the secret is stored only when the row is created. */
  public Future<Saved> save(SqlClient client, UUID tenantId, JsonObject thresholds, Optional<String> webhookUrl, String secret) {
    return sealSecret(tenantId, secret).compose(sealed -> client.preparedQuery("""
            INSERT INTO alert_settings (tenant_id, thresholds, webhook_url, webhook_secret_nonce, webhook_secret_sealed)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant_id) DO UPDATE SET thresholds = EXCLUDED.thresholds, webhook_url = EXCLUDED.webhook_url, updated_at = now()
            RETURNING thresholds, webhook_url, updated_at, (xmax = 0) AS created""")
        .execute(Tuple.of(tenantId, thresholds, webhookUrl.orElse(null), Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.data()))))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Saved(settings(r), r.getBoolean("created"));
        });
  }

  /** Replaces the signing secret (creating empty settings if there are none). */
  public Future<Void> rotateSecret(SqlClient client, UUID tenantId, String secret) {
    return sealSecret(tenantId, secret).compose(sealed -> client.preparedQuery("""
            INSERT INTO alert_settings (tenant_id, webhook_secret_nonce, webhook_secret_sealed) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id) DO UPDATE SET webhook_secret = NULL, webhook_secret_nonce = EXCLUDED.webhook_secret_nonce,
                                                  webhook_secret_sealed = EXCLUDED.webhook_secret_sealed, updated_at = now()""")
        .execute(Tuple.of(tenantId, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.data()))))
        .mapEmpty();
  }

  /** The tenant's crossings of {@code period} whose threshold is still configured, newest first. */
  public Future<List<Crossing>> active(UUID tenantId, String period) {
    return pool.preparedQuery("""
            SELECT c.id, c.tenant_id, c.metric, c.threshold, c.period, c.used, c.quota_limit, c.crossed_at
            FROM alert_crossings c JOIN alert_settings s ON s.tenant_id = c.tenant_id
            WHERE c.tenant_id = $1 AND c.period = $2 AND s.thresholds ->> c.metric = c.threshold::text
            ORDER BY c.crossed_at DESC""")
        .execute(Tuple.of(tenantId, period))
        .map(rows -> {
          List<Crossing> crossings = new ArrayList<>();
          rows.forEach(r -> crossings.add(crossing(r)));
          return crossings;
        });
  }

  private static Crossing crossing(Row r) {
    return new Crossing(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("metric"), r.getInteger("threshold"), r.getString("period"),
        r.getBigDecimal("used"), r.getLong("quota_limit"), r.getOffsetDateTime("crossed_at"));
  }

  /** Records the crossings of the period that are new, each once however many nodes evaluate. */
  public Future<List<Crossing>> recordCrossings(SqlClient client, Instant periodStart, Instant periodEnd, String period,
      String[] metrics) {
    return client.preparedQuery(INSERT_CROSSINGS)
        .execute(Tuple.of(periodStart.atOffset(ZoneOffset.UTC), periodEnd.atOffset(ZoneOffset.UTC), period, metrics))
        .map(rows -> {
          List<Crossing> crossings = new ArrayList<>();
          rows.forEach(r -> crossings.add(crossing(r)));
          return crossings;
        });
  }

  /** A delivery to create: its id and the exact body to send. */
  public record NewDelivery(UUID id, UUID tenantId, UUID crossingId, String eventType, String payload) {}

  /** Queues deliveries for tenants that have a webhook URL; the others' crossings only show in the console. */
  public Future<Void> queue(SqlClient client, List<NewDelivery> deliveries) {
    if (deliveries.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = deliveries.size();
    UUID[] ids = new UUID[n];
    UUID[] tenants = new UUID[n];
    UUID[] crossings = new UUID[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      NewDelivery d = deliveries.get(i);
      ids[i] = d.id();
      tenants[i] = d.tenantId();
      crossings[i] = d.crossingId();
      types[i] = d.eventType();
      payloads[i] = d.payload();
    }
    return client.preparedQuery("""
            INSERT INTO webhook_deliveries (id, tenant_id, crossing_id, event_type, url, payload, next_attempt_at)
            SELECT d.id, d.tenant_id, d.crossing_id, d.event_type, s.webhook_url, d.payload, now()
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS d(id, tenant_id, crossing_id, event_type, payload)
            JOIN alert_settings s ON s.tenant_id = d.tenant_id AND s.webhook_url IS NOT NULL""")
        .execute(Tuple.of(ids, tenants, crossings, types, payloads))
        .mapEmpty();
  }

  public Future<List<DueDelivery>> claimDue(int limit, Duration lease) {
    return pool.preparedQuery(CLAIM_DUE)
        .execute(Tuple.of(limit, (double) lease.toMillis() / 1000))
        .compose(rows -> {
          List<Future<DueDelivery>> due = new ArrayList<>();
          for (Row r : rows) {
            UUID tenantId = r.getUUID("tenant_id");
            // A secret stored before encryption at rest is still in webhook_secret until it is rotated.
            Future<String> secret = r.getBuffer("webhook_secret_sealed") == null
                ? Future.succeededFuture(r.getString("webhook_secret"))
                : keys.open(secretAad(tenantId), r.getBuffer("webhook_secret_nonce"), r.getBuffer("webhook_secret_sealed"))
                    .map(plain -> plain.toString(StandardCharsets.UTF_8));
            due.add(secret.map(s -> new DueDelivery(r.getUUID("id"), tenantId, r.getString("url"), r.getString("payload"),
                r.getInteger("attempts"), s, r.getBoolean("has_url"))));
          }
          // One tenant's unreadable secret must not hold up every other tenant's deliveries; its own wait for the lease.
          return Future.join(due).transform(all -> Future.succeededFuture(due.stream()
              .filter(f -> f.succeeded() || warn(f.cause()))
              .map(Future::result).toList()));
        });
  }

  /**
   * Records one attempt's outcome: {@code state} is delivered, pending (then {@code next} is when
   * to try again) or failed (given up).
   */
  public Future<Void> attempted(UUID id, String state, Optional<Integer> status, Optional<String> error, Optional<Instant> next) {
    return pool.preparedQuery("""
            UPDATE webhook_deliveries SET attempts = attempts + 1, state = $2, last_status = $3, last_error = $4,
              next_attempt_at = $5, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END
            WHERE id = $1""")
        .execute(Tuple.of(id, state, status.orElse(null), error.orElse(null), next.map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null)))
        .mapEmpty();
  }

  /** A tenant's deliveries, newest first. */
  public Future<List<JsonObject>> deliveries(UUID tenantId, int limit) {
    return pool.preparedQuery("""
            SELECT d.id, d.event_type, d.url, d.state, d.attempts, d.last_status, d.last_error, d.next_attempt_at, d.created_at,
                   d.delivered_at, c.metric, c.threshold, c.period
            FROM webhook_deliveries d JOIN alert_crossings c ON c.id = d.crossing_id
            WHERE d.tenant_id = $1 ORDER BY d.created_at DESC, d.id LIMIT $2""")
        .execute(Tuple.of(tenantId, limit))
        .map(rows -> {
          List<JsonObject> list = new ArrayList<>();
          for (Row r : rows) {
            list.add(new JsonObject()
                .put("id", r.getUUID("id").toString())
                .put("type", r.getString("event_type"))
                .put("url", r.getString("url"))
                .put("state", r.getString("state"))
                .put("attempts", r.getInteger("attempts"))
                .put("last_status", r.getInteger("last_status"))
                .put("last_error", r.getString("last_error"))
                .put("next_attempt_at", instant(r.getOffsetDateTime("next_attempt_at")))
                .put("created_at", instant(r.getOffsetDateTime("created_at")))
                .put("delivered_at", instant(r.getOffsetDateTime("delivered_at")))
                .put("metric", r.getString("metric"))
                .put("threshold", r.getInteger("threshold"))
                .put("period", r.getString("period")));
          }
          return list;
        });
  }

  private static String instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }
}

package dev.aiaas.gateway.metering;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SQL for usage: batched idempotent inserts that maintain the rollups, and rollup reads. Rollup
 * rows carry a shard number; a batch writes one shard, so batches written at the same time on
 * different shards never wait on each other's row locks. Reads sum over the shards.
 */
public final class UsageStore {

  /** Shards of the rollups: more than the batches one node writes at once, few enough to sum cheaply. */
  public static final int SHARDS = 16;

  /**
   * One statement per batch: events in, duplicates skipped, rollups of what was new updated in
   * the batch's shard. Rollup rows are upserted in key order, so two statements that do share a
   * shard (two nodes) lock their rows in the same order.
   */
  private static final String INSERT_BATCH = """
      WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]::numeric[], $5::timestamptz[], $6::uuid[], $7::text[],
                             $8::uuid[])
          AS t(event_id, tenant_id, metric, quantity, occurred_at, api_key_id, model, job_id)
      ), inserted AS (
        INSERT INTO usage_events (event_id, tenant_id, metric, quantity, occurred_at, api_key_id, model, job_id)
        SELECT event_id, tenant_id, metric, quantity, occurred_at, api_key_id, model, job_id FROM input
        ON CONFLICT DO NOTHING
        RETURNING tenant_id, metric, quantity, occurred_at, api_key_id, model
      ), hourly AS (
        INSERT INTO usage_hourly AS h (tenant_id, metric, bucket_start, model, api_key_id, shard, quantity)
        SELECT tenant_id, metric, date_bin('1 hour', occurred_at, '2000-01-01 00:00:00+00'), coalesce(model, ''),
               coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), $9::smallint, sum(quantity)
        FROM inserted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (tenant_id, metric, bucket_start, model, api_key_id, shard) DO UPDATE SET quantity = h.quantity + EXCLUDED.quantity
      )
      INSERT INTO usage_daily AS d (tenant_id, metric, bucket_start, model, api_key_id, shard, quantity)
      SELECT tenant_id, metric, date_bin('1 day', occurred_at, '2000-01-01 00:00:00+00'), coalesce(model, ''),
             coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), $9::smallint, sum(quantity)
      FROM inserted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (tenant_id, metric, bucket_start, model, api_key_id, shard) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity
      """;

  private final Pool pool;

  public UsageStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts a batch in its own transaction, into a random rollup shard. */
  public Future<Void> insert(List<UsageEvent> events) {
    return insert(pool, events);
  }

  /** Inserts a batch into rollup shard {@code shard} (0 to {@link #SHARDS} - 1), in its own transaction. */
  public Future<Void> insert(List<UsageEvent> events, int shard) {
    return insert(pool, events, shard);
  }

  /**
   * Inserts within the caller's transaction, so usage commits together with the work it meters;
   * into a random shard, as such callers are few and not coordinated with each other.
   */
  public Future<Void> insert(io.vertx.sqlclient.SqlClient client, List<UsageEvent> events) {
    return insert(client, events, ThreadLocalRandom.current().nextInt(SHARDS));
  }

  private Future<Void> insert(io.vertx.sqlclient.SqlClient client, List<UsageEvent> events, int shard) {
    int n = events.size();
    UUID[] ids = new UUID[n];
    UUID[] tenants = new UUID[n];
    String[] metrics = new String[n];
    String[] quantities = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    UUID[] keys = new UUID[n];
    String[] models = new String[n];
    UUID[] jobs = new UUID[n];
    for (int i = 0; i < n; i++) {
      UsageEvent e = events.get(i);
      ids[i] = e.eventId();
      tenants[i] = e.tenantId();
      metrics[i] = e.metric().wireName();
      quantities[i] = e.quantity().toPlainString();
      times[i] = e.occurredAt().atOffset(ZoneOffset.UTC);
      keys[i] = e.apiKeyId().orElse(null);
      models[i] = e.model().orElse(null);
      jobs[i] = e.jobId().orElse(null);
    }
    return client.preparedQuery(INSERT_BATCH)
        .execute(Tuple.tuple().addValue(ids).addValue(tenants).addValue(metrics).addValue(quantities).addValue(times).addValue(keys).addValue(models)
            .addValue(jobs).addValue((short) shard))
        .mapEmpty();
  }

  /** A tenant's total of {@code metric} since {@code from} (a period start), from the daily rollup. */
  public Future<BigDecimal> total(UUID tenantId, Metric metric, Instant from, Instant to) {
    return pool.preparedQuery("SELECT coalesce(sum(quantity), 0) FROM usage_daily WHERE tenant_id = $1 AND metric = $2 AND bucket_start >= $3 AND bucket_start < $4")
        .execute(Tuple.of(tenantId, metric.wireName(), from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.iterator().next().getBigDecimal(0));
  }

  /** A tenant's totals per metric for a period, from the daily rollup (one indexed query). */
  public Future<java.util.Map<Metric, BigDecimal>> totals(UUID tenantId, Instant from, Instant to) {
    return pool.preparedQuery("SELECT metric, sum(quantity) FROM usage_daily WHERE tenant_id = $1 AND bucket_start >= $2 AND bucket_start < $3 GROUP BY metric")
        .execute(Tuple.of(tenantId, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          java.util.Map<Metric, BigDecimal> totals = new java.util.EnumMap<>(Metric.class);
          for (Row r : rows) {
            Metric.fromWire(r.getString(0)).ifPresent(m -> totals.put(m, r.getBigDecimal(1)));
          }
          return totals;
        });
  }

  /** One point of a usage series. */
  public record Point(String group, Instant start, BigDecimal quantity) {}

  /**
   * Usage of a tenant per bucket, grouped by metric, model or key, from the hourly or daily
   * rollup. {@code groupBy} is a column name chosen by the caller from a fixed set.
   */
  public Future<List<Point>> series(UUID tenantId, Instant from, Instant to, boolean hourly, String groupBy, Optional<Metric> metric) {
    String table = hourly ? "usage_hourly" : "usage_daily";
    String group = switch (groupBy) {
      case "model" -> "model";
      case "key" -> "api_key_id::text";
      default -> "metric";
    };
    String sql = "SELECT " + group + " AS grp, bucket_start, sum(quantity) AS quantity FROM " + table
        + " WHERE tenant_id = $1 AND bucket_start >= $2 AND bucket_start < $3 AND ($4::text IS NULL OR metric = $4)"
        + " GROUP BY 1, 2 ORDER BY 1, 2";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(tenantId, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), metric.map(Metric::wireName).orElse(null)))
        .map(rows -> {
          List<Point> points = new ArrayList<>();
          for (Row r : rows) {
            points.add(new Point(r.getString("grp"), r.getOffsetDateTime("bucket_start").toInstant(), r.getBigDecimal("quantity")));
          }
          return points;
        });
  }

  /** Makes sure the monthly partitions around {@code now} exist (cheap when they do). */
  public Future<Void> ensurePartitions(Instant now) {
    OffsetDateTime t = now.atOffset(ZoneOffset.UTC);
    return pool.preparedQuery("SELECT ensure_usage_partition($1::date), ensure_usage_partition(($1::date + interval '1 month')::date)")
        .execute(Tuple.of(t.toLocalDate()))
        .mapEmpty();
  }
}

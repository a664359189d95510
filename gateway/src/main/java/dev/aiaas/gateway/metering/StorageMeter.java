package dev.aiaas.gateway.metering;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/**
 * Meters {@code storage_bytes}: what a tenant stores (datasets, model artifacts and batch
 * prediction results). Storage is a
 * level, so it is sampled into {@code storage_samples}, every hour for every tenant and right
 * after a tenant's storage changes; billing charges the period's average from them.
 */
public final class StorageMeter {

  static final Duration INTERVAL = Duration.ofHours(1);

  private static final String STORED = """
      (SELECT coalesce(sum(bytes), 0) FROM datasets d WHERE d.tenant_id = t.id)
      + (SELECT coalesce(sum(artifact_bytes), 0) FROM models m WHERE m.tenant_id = t.id)
      + (SELECT coalesce(sum(result_bytes), 0) FROM batch_prediction_jobs b WHERE b.tenant_id = t.id)""";

  private final Vertx vertx;
  private final Pool pool;
  private long timer = -1;

  public StorageMeter(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  public void start() {
    timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> sampleAll());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Bytes the tenant stores now. */
  public Future<Long> stored(UUID tenantId) {
    return pool.preparedQuery("SELECT " + STORED + " FROM tenants t WHERE t.id = $1").execute(Tuple.of(tenantId))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  /** Records a sample for one tenant (after its storage changed). */
  public Future<Void> sample(UUID tenantId) {
    return pool.preparedQuery("INSERT INTO storage_samples (tenant_id, sampled_at, bytes) SELECT t.id, clock_timestamp(), " + STORED
            + " FROM tenants t WHERE t.id = $1 ON CONFLICT DO NOTHING")
        .execute(Tuple.of(tenantId)).mapEmpty();
  }

  /** Records a sample for every tenant. */
  public Future<Void> sampleAll() {
    return pool.query("INSERT INTO storage_samples (tenant_id, sampled_at, bytes) SELECT t.id, clock_timestamp(), " + STORED
        + " FROM tenants t ON CONFLICT DO NOTHING").execute().mapEmpty();
  }
}

package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.UsageEvent;
import dev.aiaas.gateway.metering.UsageStore;
import dev.aiaas.gateway.testing.RunningPlatform;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Writes billing inputs straight into a test platform's database: usage through the real
 * {@link UsageStore} (so the rollups are maintained as in production), storage samples, and a
 * backdated plan history (a tenant created today that has "been on its plan" since a past period).
 */
public final class BillingData implements AutoCloseable {

  private final RunningPlatform app;
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;

  public BillingData(RunningPlatform app) {
    this.app = app;
    this.pool = PgBuilder.pool().connectingTo(app.database().connectOptions()).using(vertx).build();
  }

  /** Records events as the gateway would; returns their ids. */
  public List<UUID> usage(String tenantId, Metric metric, Instant at, String... quantities) {
    ensurePartition(at);
    List<UsageEvent> events = java.util.Arrays.stream(quantities)
        .map(q -> UsageEvent.of(UUID.fromString(tenantId), metric, new BigDecimal(q), at, Optional.empty(), Optional.of("churn")))
        .toList();
    try {
      new UsageStore(pool).insert(events).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot record usage", e);
    }
    return events.stream().map(UsageEvent::eventId).toList();
  }

  void storageSample(String tenantId, Instant at, long bytes) {
    sql("INSERT INTO storage_samples (tenant_id, sampled_at, bytes) VALUES (?::uuid, ?, ?)", tenantId, Timestamp.from(at), bytes);
  }

  /** Makes the tenant's first plan start at {@code from}. */
  public void backdatePlan(String tenantId, Instant from) {
    sql("UPDATE tenant_plan_history SET valid_from = ? WHERE tenant_id = ?::uuid"
        + " AND valid_from = (SELECT min(valid_from) FROM tenant_plan_history WHERE tenant_id = ?::uuid)",
        Timestamp.from(from), tenantId, tenantId);
  }

  private void ensurePartition(Instant at) {
    sql("SELECT ensure_usage_partition(?::date)", java.sql.Date.valueOf(at.atOffset(java.time.ZoneOffset.UTC).toLocalDate()));
  }

  void sql(String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
        PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      statement.execute();
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }

  @Override
  public void close() {
    pool.close();
    vertx.close();
  }
}

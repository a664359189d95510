package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.plans.Plan;
import dev.aiaas.gateway.plans.PlanRows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for tenants, always read together with their plan. */
public final class TenantStore {

  private static final String SELECT = "SELECT t.id AS tenant_id, t.name AS tenant_name, t.status, t.created_at AS tenant_created_at, "
      + PlanRows.columns("p") + " FROM tenants t JOIN plans p ON p.id = t.plan_id";

  private final Pool pool;

  public TenantStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts a tenant; a unique violation if the name is taken. The same statement starts its plan
   * history, which billing prices by.
   */
  public Future<Tenant> insert(String name, Plan plan) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery("""
            WITH t AS (INSERT INTO tenants (id, name, plan_id) VALUES ($1, $2, $3) RETURNING id, plan_id, created_at)
            INSERT INTO tenant_plan_history (tenant_id, valid_from, plan_id) SELECT id, created_at, plan_id FROM t""")
        .execute(Tuple.of(id, name, plan.id()))
        .compose(ignored -> byId(id))
        .map(Optional::orElseThrow);
  }

  public Future<Optional<Tenant>> byId(UUID id) {
    return pool.preparedQuery(SELECT + " WHERE t.id = $1").execute(Tuple.of(id)).map(TenantStore::first);
  }

  public Future<List<Tenant>> list() {
    return list(Integer.MAX_VALUE, 0);
  }

  /** One page of tenants, oldest first. */
  public Future<List<Tenant>> list(int limit, int offset) {
    return pool.preparedQuery(SELECT + " ORDER BY t.created_at, t.id LIMIT $1 OFFSET $2").execute(Tuple.of(limit, offset)).map(rows -> {
      List<Tenant> tenants = new ArrayList<>();
      rows.forEach(r -> tenants.add(tenant(r)));
      return tenants;
    });
  }

  /**
   * Usage per tenant and metric during {@code [from, to)} (whole hours) for the given tenants, in
   * one query over the hourly rollup (kept up to date by every usage insert).
   */
  public Future<Map<UUID, Map<String, BigDecimal>>> usage(List<UUID> tenantIds, Instant from, Instant to) {
    return pool.preparedQuery("""
            SELECT tenant_id, metric, sum(quantity) AS quantity FROM usage_hourly
             WHERE tenant_id = ANY($1) AND bucket_start >= $2 AND bucket_start < $3
             GROUP BY tenant_id, metric""")
        .execute(Tuple.of(tenantIds.toArray(new UUID[0]), from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          Map<UUID, Map<String, BigDecimal>> usage = new HashMap<>();
          rows.forEach(r -> usage.computeIfAbsent(r.getUUID("tenant_id"), id -> new TreeMap<>())
              .put(r.getString("metric"), r.getBigDecimal("quantity")));
          return usage;
        });
  }

  /**
   * Sets plan and status; empty if there is no such tenant. A new plan is appended to the
   * tenant's plan history in the same statement, so billing never sees one without the other.
   * ({@code old} reads the row as it was before the update: every part of a statement shares one
   * snapshot. It must not lock the row: a row the statement itself updates is skipped by a lock.)
   */
  public Future<Optional<Tenant>> update(UUID id, UUID planId, String status) {
    return pool.preparedQuery("""
            WITH old AS (SELECT plan_id FROM tenants WHERE id = $1),
            changed AS (UPDATE tenants SET plan_id = $2, status = $3, updated_at = now() WHERE id = $1 RETURNING id),
            history AS (INSERT INTO tenant_plan_history (tenant_id, valid_from, plan_id)
                        SELECT $1, clock_timestamp(), $2 FROM old WHERE old.plan_id <> $2)
            SELECT id FROM changed""")
        .execute(Tuple.of(id, planId, status))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.<Tenant>empty()) : byId(id));
  }

  private static Optional<Tenant> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(tenant(rows.iterator().next()));
  }

  private static Tenant tenant(Row r) {
    return new Tenant(r.getUUID("tenant_id"), r.getString("tenant_name"), r.getString("status"), PlanRows.plan(r),
        r.getOffsetDateTime("tenant_created_at"));
  }
}

package dev.aiaas.gateway.plans;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for plans. */
public final class PlanStore {

  private static final String COLUMNS = "id, name, currency, base_fee, rate_per_second, rate_burst, limits, soft_limits, prices, created_at, updated_at";

  private final Pool pool;

  public PlanStore(Pool pool) {
    this.pool = pool;
  }

  /** The fields of a plan that can be set, in the database's shape. */
  public record PlanFields(String name, String currency, BigDecimal baseFee, Integer ratePerSecond, Integer rateBurst,
      JsonObject limits, List<String> softLimits, JsonObject prices) {}

  /** Inserts a plan; fails with a unique violation if the name is taken. */
  public Future<Plan> insert(PlanFields f) {
    return pool.preparedQuery("INSERT INTO plans (id, name, currency, base_fee, rate_per_second, rate_burst, limits, soft_limits, prices)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {UUID.randomUUID(), f.name(), f.currency(), f.baseFee(), f.ratePerSecond(), f.rateBurst(),
            f.limits(), f.softLimits().toArray(String[]::new), f.prices()}))
        .map(rows -> Plan.fromRow(rows.iterator().next()));
  }

  /** Replaces every settable field; empty if there is no such plan, a unique violation if the new name is taken. */
  public Future<Optional<Plan>> update(UUID id, PlanFields f) {
    return pool.preparedQuery("UPDATE plans SET name = $2, currency = $3, base_fee = $4, rate_per_second = $5, rate_burst = $6,"
            + " limits = $7, soft_limits = $8, prices = $9, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {id, f.name(), f.currency(), f.baseFee(), f.ratePerSecond(), f.rateBurst(),
            f.limits(), f.softLimits().toArray(String[]::new), f.prices()}))
        .map(PlanStore::first);
  }

  public Future<List<Plan>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM plans ORDER BY name").execute()
        .map(rows -> {
          List<Plan> plans = new java.util.ArrayList<>();
          rows.forEach(r -> plans.add(Plan.fromRow(r)));
          return plans;
        });
  }

  public Future<Optional<Plan>> byId(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM plans WHERE id = $1").execute(Tuple.of(id)).map(PlanStore::first);
  }

  public Future<Optional<Plan>> byName(String name) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM plans WHERE name = $1").execute(Tuple.of(name)).map(PlanStore::first);
  }

  private static Optional<Plan> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Plan.fromRow(rows.iterator().next()));
  }
}

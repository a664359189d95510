package dev.aiaas.gateway.erasure;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The SQL of erasing one tenant; every statement runs in the caller's transaction. */
final class ErasureStore {

  /**
   * Tables with a {@code tenant_id} whose rows of an erased tenant stay: billing records (usage,
   * storage samples, plan history, invoices) must survive, the audit trail too, and the tenant row
   * is their tombstone. Every other table with a {@code tenant_id} is erased, so a table added
   * later is erased unless someone decides here that it must be kept.
   */
  static final Set<String> KEPT = Set.of("tenants", "usage_events", "usage_hourly", "usage_daily", "storage_samples",
      "tenant_plan_history", "invoices", "audit_log");

  /** The tenant's people, keys and live work, read before they are deleted so caches and workers can be told after the commit. */
  record Owned(List<UUID> userIds, List<String> emails, List<UUID> sessionIds, List<UUID> keyIds, List<String> deployedModels,
      List<UUID> runningTrainingJobs, List<UUID> runningBatches) {}

  /** The tenant row locked for the erasure, or empty. */
  Future<Optional<Row>> lockTenant(SqlClient tx, UUID tenantId) {
    return tx.preparedQuery("SELECT id, name, status FROM tenants WHERE id = $1 FOR UPDATE").execute(Tuple.of(tenantId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
  }

  Future<Owned> owned(SqlClient tx, UUID tenantId) {
    Tuple tenant = Tuple.of(tenantId);
    return tx.preparedQuery("SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1")
        .execute(tenant).compose(users -> {
          List<UUID> userIds = new ArrayList<>();
          List<String> emails = new ArrayList<>();
          users.forEach(r -> {
            userIds.add(r.getUUID("id"));
            emails.add(r.getString("email"));
          });
          UUID[] ids = userIds.toArray(UUID[]::new);
          return uuids(tx, "SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ANY($1) AND revoked_at IS NULL", Tuple.of(ids))
              .compose(sessions -> uuids(tx, "SELECT id FROM api_keys WHERE tenant_id = $1", tenant)
                  .compose(keys -> strings(tx, "SELECT model_name FROM deployments WHERE tenant_id = $1", tenant)
                      .compose(deployed -> uuids(tx, "SELECT id FROM training_jobs WHERE tenant_id = $1 AND state IN ('queued', 'running')", tenant)
                          .compose(jobs -> uuids(tx,
                                  "SELECT id FROM batch_prediction_jobs WHERE tenant_id = $1 AND state IN ('queued', 'running')", tenant)
                              .map(batches -> new Owned(userIds, emails, sessions, keys, deployed, jobs, batches))))));
        });
  }

  /**
   * Replaces each user's email by its pseudonym wherever the audit trail recorded it (any tenant's
   * rows and those of no tenant, such as failed sign-ins), and drops the addresses the tenant's
   * users and keys called from. Actor ids stay: they point at nothing once the users are gone.
   */
  Future<Integer> pseudonymiseAudit(SqlClient tx, Owned owned) {
    Future<Integer> replaced = Future.succeededFuture(0);
    for (int i = 0; i < owned.userIds().size(); i++) {
      String pattern = regexLiteral(owned.emails().get(i));
      String pseudonym = Pseudonyms.user(owned.userIds().get(i));
      replaced = replaced.compose(sum -> tx.preparedQuery("""
              UPDATE audit_log SET details = regexp_replace(details::text, $1, $2, 'gi')::jsonb,
                                   target = regexp_replace(target, $1, $2, 'gi')
              WHERE details::text ~* $1 OR target ~* $1""")
          .execute(Tuple.of(pattern, pseudonym)).map(rows -> sum + rows.rowCount()));
    }
    List<UUID> actors = new ArrayList<>(owned.userIds());
    actors.addAll(owned.keyIds());
    return replaced.compose(sum -> tx.preparedQuery("UPDATE audit_log SET ip = NULL WHERE actor_id = ANY($1) AND ip IS NOT NULL")
        .execute(Tuple.of(actors.toArray(UUID[]::new))).map(rows -> sum + rows.rowCount()));
  }

  /**
   * Deletes what the tenant owns. The named tables go first, in an order their foreign keys allow
   * (jobs restrict the deletion of their datasets); then every other table with a {@code tenant_id}
   * not in {@link #KEPT}, found in the catalog. Answers the number of rows deleted per table.
   */
  Future<JsonObject> deleteOwned(SqlClient tx, UUID tenantId, Owned owned) {
    JsonObject counts = new JsonObject();
    Tuple tenant = Tuple.of(tenantId);
    Future<Void> done = Future.succeededFuture();
    for (String table : List.of("deployments", "batch_prediction_jobs", "models", "training_jobs", "datasets", "api_keys")) {
      done = done.compose(v -> delete(tx, "DELETE FROM " + table + " WHERE tenant_id = $1", tenant, table, counts));
    }
    return done
        .compose(v -> delete(tx, "DELETE FROM users WHERE id = ANY($1)", Tuple.of(owned.userIds().toArray(UUID[]::new)), "users", counts))
        // Replayed answers may quote the tenant's data; their scope is the tenant's own (see Idempotency).
        .compose(v -> delete(tx, "DELETE FROM idempotency_keys WHERE scope = $1", Tuple.of("tenant:" + tenantId), "idempotency_keys", counts))
        .compose(v -> strings(tx, """
            SELECT c.relname FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            WHERE a.attname = 'tenant_id' AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND c.relnamespace = to_regnamespace(current_schema())
            ORDER BY c.relname""", Tuple.tuple()))
        .compose(tables -> {
          Future<Void> swept = Future.succeededFuture();
          for (String table : tables) {
            if (!KEPT.contains(table) && !counts.containsKey(table)) {
              swept = swept.compose(v -> delete(tx, "DELETE FROM \"" + table.replace("\"", "\"\"") + "\" WHERE tenant_id = $1", tenant, table, counts));
            }
          }
          return swept;
        })
        .map(counts);
  }

  /**
   * Marks the tombstone, and records that the tenant stores nothing from now on: storage is billed
   * from samples, so without this one the last sample's bytes would be billed to the period's end.
   */
  Future<Void> markErased(SqlClient tx, UUID tenantId) {
    return tx.preparedQuery("UPDATE tenants SET status = 'erased', erased_at = coalesce(erased_at, now()), updated_at = now() WHERE id = $1")
        .execute(Tuple.of(tenantId))
        .compose(v -> tx.preparedQuery("INSERT INTO storage_samples (tenant_id, sampled_at, bytes) VALUES ($1, clock_timestamp(), 0) ON CONFLICT DO NOTHING")
            .execute(Tuple.of(tenantId)))
        .mapEmpty();
  }

  private static Future<Void> delete(SqlClient tx, String sql, Tuple args, String table, JsonObject counts) {
    return tx.preparedQuery(sql).execute(args).map(rows -> {
      counts.put(table, rows.rowCount());
      return null;
    });
  }

  private static Future<List<UUID>> uuids(SqlClient tx, String sql, Tuple args) {
    return tx.preparedQuery(sql).execute(args).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.getUUID(0)));
      return ids;
    });
  }

  private static Future<List<String>> strings(SqlClient tx, String sql, Tuple args) {
    return tx.preparedQuery(sql).execute(args).map(rows -> {
      List<String> values = new ArrayList<>();
      rows.forEach(r -> values.add(r.getString(0)));
      return values;
    });
  }

  /** {@code text} as a PostgreSQL regular expression matching exactly it: every non-alphanumeric character escaped. */
  static String regexLiteral(String text) {
    return text.replaceAll("([^A-Za-z0-9])", "\\\\$1");
  }
}

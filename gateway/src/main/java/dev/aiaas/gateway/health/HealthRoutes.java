package dev.aiaas.gateway.health;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.workers.WorkerRegistry;
import dev.aiaas.worker.api.WorkerStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * Liveness (the process answers) and readiness (the database is reachable with the schema this
 * build expects, and at least one worker is up). Load balancers route traffic on readiness only.
 */
public final class HealthRoutes {

  private final Pool pool;
  private final String expectedSchemaVersion;
  private final WorkerRegistry workers;

  public HealthRoutes(Pool pool, String expectedSchemaVersion, WorkerRegistry workers) {
    this.pool = pool;
    this.expectedSchemaVersion = expectedSchemaVersion;
    this.workers = workers;
  }

  public void register(Operations operations) {
    operations
        .handle("getLiveness", Access.PUBLIC, ctx -> Reply.okFuture(new JsonObject().put("status", "UP")))
        .handle("getReadiness", Access.PUBLIC, this::ready)
        .handle("getPlatform", Access.requires(Permission.ADMINISTER_PLATFORM), this::platform);
  }

  /**
   * The operator's view: readiness, every live worker with the model versions it has loaded, and
   * the nodes they run on. Always 200 (the operator wants the picture most when something is down).
   */
  private Future<Reply> platform(RoutingContext ctx) {
    List<WorkerStatus> live = workers.live();
    return databaseCheck()
        .recover(e -> Future.succeededFuture(new JsonObject().put("status", "DOWN").put("detail", "database unreachable: " + e.getMessage())))
        .map(db -> {
          boolean up = "UP".equals(db.getString("status")) && !live.isEmpty();
          java.util.Map<String, Integer> perNode = new java.util.TreeMap<>();
          live.forEach(w -> perNode.merge(w.node(), 1, Integer::sum));
          JsonArray nodes = new JsonArray();
          perNode.forEach((node, count) -> nodes.add(new JsonObject().put("node", node).put("workers", count)));
          JsonArray statuses = new JsonArray();
          live.stream().sorted(java.util.Comparator.comparing(WorkerStatus::node).thenComparing(WorkerStatus::device))
              .forEach(w -> statuses.add(w.toJson()));
          return Reply.ok(new JsonObject()
              .put("status", up ? "UP" : "DOWN")
              .put("database", db)
              .put("workers", statuses)
              .put("nodes", nodes));
        });
  }

  private Future<Reply> ready(RoutingContext ctx) {
    JsonObject workerCheck = workerCheck();
    return databaseCheck()
        .recover(e -> Future.succeededFuture(new JsonObject().put("status", "DOWN").put("detail", "database unreachable: " + e.getMessage())))
        .map(db -> {
          boolean up = "UP".equals(db.getString("status")) && "UP".equals(workerCheck.getString("status"));
          return new Reply(up ? 200 : 503, new JsonObject()
              .put("status", up ? "UP" : "DOWN")
              .put("checks", new JsonObject().put("database", db).put("workers", workerCheck)), java.util.Map.of("Cache-Control", "no-store"));
        });
  }

  private Future<JsonObject> databaseCheck() {
    return pool.query("""
            SELECT version FROM flyway_schema_history
            WHERE success AND version IS NOT NULL
            ORDER BY installed_rank DESC LIMIT 1""")
        .execute()
        .map(rows -> {
          String version = rows.size() == 0 ? "none" : rows.iterator().next().getString(0);
          boolean current = expectedSchemaVersion.equals(version);
          JsonObject check = new JsonObject()
              .put("status", current ? "UP" : "DOWN")
              .put("schema_version", version);
          return current ? check : check.put("detail", "schema is at " + version + ", this build expects " + expectedSchemaVersion);
        });
  }

  private JsonObject workerCheck() {
    List<WorkerStatus> live = workers.live();
    JsonArray devices = new JsonArray();
    // Readiness is public: which tenant serves which model is the operator's business only.
    live.forEach(w -> {
      JsonObject device = w.toJson();
      device.remove("models");
      devices.add(device);
    });
    JsonObject check = new JsonObject().put("status", live.isEmpty() ? "DOWN" : "UP").put("count", live.size()).put("workers", devices);
    return live.isEmpty() ? check.put("detail", "no worker has announced itself") : check;
  }
}

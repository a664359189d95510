package dev.aiaas.gateway.health;

import dev.aiaas.gateway.workers.WorkerRegistry;
import dev.aiaas.worker.api.WorkerStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
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

  public void mount(Router router) {
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
  }

  private void live(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  private void ready(RoutingContext ctx) {
    Future<JsonObject> database = databaseCheck();
    JsonObject workerCheck = workerCheck();
    database.onComplete(ar -> {
      JsonObject db = ar.succeeded() ? ar.result()
          : new JsonObject().put("status", "DOWN").put("detail", "database unreachable: " + ar.cause().getMessage());
      boolean up = "UP".equals(db.getString("status")) && "UP".equals(workerCheck.getString("status"));
      json(ctx, up ? 200 : 503, new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("checks", new JsonObject().put("database", db).put("workers", workerCheck)));
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
    live.forEach(w -> devices.add(w.toJson()));
    JsonObject check = new JsonObject().put("status", live.isEmpty() ? "DOWN" : "UP").put("count", live.size()).put("workers", devices);
    return live.isEmpty() ? check.put("detail", "no worker has announced itself") : check;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}

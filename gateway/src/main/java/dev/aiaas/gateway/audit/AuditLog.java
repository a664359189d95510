package dev.aiaas.gateway.audit;

import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The append-only audit log: logins, key changes, user, plan and tenant changes. Rows are written
 * before the response that reports the change, inside its transaction where there is one.
 */
public final class AuditLog {

  private static final String SEARCH_ALL = """
      SELECT id, tenant_id, actor_type, actor_id, action, target, details, ip, request_id, created_at
      FROM audit_log
      WHERE id < $1
        AND ($2::uuid IS NULL OR tenant_id = $2)
        AND ($3::uuid IS NULL OR actor_id = $3)
        AND ($4::text IS NULL OR action = $4)
        AND ($5::timestamptz IS NULL OR created_at >= $5)
        AND ($6::timestamptz IS NULL OR created_at < $6)
      ORDER BY id DESC LIMIT $7""";

  private static final String SEARCH_TENANT = """
      SELECT id, tenant_id, actor_type, actor_id, action, target, details, ip, request_id, created_at
      FROM audit_log
      WHERE id < $1
        AND tenant_id = $2
        AND ($3::uuid IS NULL OR actor_id = $3)
        AND ($4::text IS NULL OR action = $4)
        AND ($5::timestamptz IS NULL OR created_at >= $5)
        AND ($6::timestamptz IS NULL OR created_at < $6)
      ORDER BY id DESC LIMIT $7""";

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /** An event by the request's principal, in the principal's tenant. */
  public static AuditEvent event(RoutingContext ctx, Principal principal, String action) {
    return new AuditEvent(principal.tenantId(), principal.kind().wireName(), Optional.of(principal.id()), action,
        Optional.empty(), new JsonObject(), Optional.of(ctx.request().remoteAddress().hostAddress()), Optional.of(RequestIds.of(ctx)));
  }

  /** An event by a caller not (yet) authenticated, such as a failed login. */
  public static AuditEvent anonymous(RoutingContext ctx, String action) {
    return new AuditEvent(Optional.empty(), "anonymous", Optional.empty(), action, Optional.empty(), new JsonObject(),
        Optional.of(ctx.request().remoteAddress().hostAddress()), Optional.of(RequestIds.of(ctx)));
  }

  public Future<Void> record(AuditEvent event) {
    return record(pool, event);
  }

  /** Writes with {@code client}, so the row commits or rolls back with the change it describes. */
  public Future<Void> record(SqlClient client, AuditEvent event) {
    return client.preparedQuery("""
            INSERT INTO audit_log (tenant_id, actor_type, actor_id, action, target, details, ip, request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
        .execute(Tuple.from(new Object[] {event.tenantId().orElse(null), event.actorType(), event.actorId().orElse(null),
            event.action(), event.target().orElse(null), event.details(), event.ip().orElse(null), event.requestId().orElse(null)}))
        .mapEmpty();
  }

  /** What the operator filters the whole audit log by; every part optional. */
  public record Filter(Optional<UUID> tenantId, Optional<UUID> actorId, Optional<String> action, Optional<Instant> from,
      Optional<Instant> to) {}

  /**
   * The events matching {@code filter} (every tenant's and those of no tenant, unless it names a
   * tenant), newest first; {@code before} is the id to continue below.
   */
  public Future<List<JsonObject>> search(Filter filter, int limit, Optional<Long> before) {
    // Absent filters are NULL parameters that match everything: one plan, no SQL built from values.
    // A tenant's own view pins the tenant without the NULL test, so its plan walks the tenant's index.
    return pool.preparedQuery(filter.tenantId().isPresent() ? SEARCH_TENANT : SEARCH_ALL)
        .execute(Tuple.from(new Object[] {before.orElse(Long.MAX_VALUE), filter.tenantId().orElse(null), filter.actorId().orElse(null),
            filter.action().orElse(null), filter.from().map(AuditLog::utc).orElse(null), filter.to().map(AuditLog::utc).orElse(null), limit}))
        .map(rows -> {
          List<JsonObject> events = new ArrayList<>();
          for (Row r : rows) {
            UUID tenant = r.getUUID("tenant_id");
            events.add(toJson(r).put("tenant_id", tenant == null ? null : tenant.toString()));
          }
          return events;
        });
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static JsonObject toJson(Row r) {
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("actor_type", r.getString("actor_type"))
        .put("actor_id", r.getUUID("actor_id") == null ? null : r.getUUID("actor_id").toString())
        .put("action", r.getString("action"))
        .put("target", r.getString("target"))
        .put("details", r.getValue("details"))
        .put("ip", r.getString("ip"))
        .put("request_id", r.getString("request_id"))
        .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString());
  }
}

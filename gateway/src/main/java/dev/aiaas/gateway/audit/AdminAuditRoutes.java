package dev.aiaas.gateway.audit;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code GET /v1/admin/audit}: the operator reads the whole audit log (every tenant, and the
 * events of no tenant such as the admin's own sign-ins), filtered, newest first, by pages exactly
 * like a tenant's {@code /v1/audit}.
 */
public final class AdminAuditRoutes {

  private final AuditLog audit;

  public AdminAuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  public void register(Operations operations) {
    operations.handle("listAdminAudit", Access.requires(Permission.ADMINISTER_PLATFORM), this::list);
  }

  private Future<Reply> list(RoutingContext ctx) {
    return page(ctx, audit, param(ctx, "tenant_id", UUID::fromString, "a UUID"));
  }

  /** One page of the events of {@code tenant} (or of all) matching the request's filters; shared with {@code /v1/audit}. */
  static Future<Reply> page(RoutingContext ctx, AuditLog audit, Optional<UUID> tenant) {
    int limit = Integer.parseInt(Optional.ofNullable(ctx.request().getParam("limit")).orElse("50"));
    Optional<Long> before = Optional.ofNullable(ctx.request().getParam("before")).map(Long::parseLong);
    AuditLog.Filter filter = new AuditLog.Filter(
        tenant,
        param(ctx, "actor_id", UUID::fromString, "a UUID"),
        Optional.ofNullable(ctx.request().getParam("action")),
        param(ctx, "from", raw -> OffsetDateTime.parse(raw).toInstant(), "an ISO-8601 date-time with offset"),
        param(ctx, "to", raw -> OffsetDateTime.parse(raw).toInstant(), "an ISO-8601 date-time with offset"));
    if (filter.from().isPresent() && filter.to().isPresent() && !filter.from().get().isBefore(filter.to().get())) {
      throw ApiException.badRequest("validation-failed", "from must be before to");
    }
    return audit.search(filter, limit, before).map(events -> {
      JsonObject page = new JsonObject().put("data", new JsonArray(events));
      page.put("next_before", events.size() == limit ? events.get(events.size() - 1).getLong("id") : null);
      return Reply.ok(page);
    });
  }

  private static <T> Optional<T> param(RoutingContext ctx, String name, Function<String, T> parse, String expected) {
    String raw = ctx.request().getParam(name);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(raw));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw ApiException.badRequest("validation-failed", name + ": not " + expected + ": " + raw);
    }
  }
}

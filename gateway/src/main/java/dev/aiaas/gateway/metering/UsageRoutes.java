package dev.aiaas.gateway.metering;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.quota.QuotaPeriod;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code GET /v1/usage}: a tenant's metered usage as time series, read from the rollups. */
public final class UsageRoutes {

  private static final Duration MAX_HOURLY_RANGE = Duration.ofDays(31);
  private static final Duration MAX_DAILY_RANGE = Duration.ofDays(400);

  private final UsageStore usage;
  private final Clock clock;

  public UsageRoutes(UsageStore usage, Clock clock) {
    this.usage = usage;
    this.clock = clock;
  }

  public void register(Operations operations) {
    operations.handle("getUsage", Access.requires(Permission.READ), this::series);
  }

  private Future<Reply> series(RoutingContext ctx) {
    Instant now = clock.instant();
    Instant from = time(ctx, "from").orElse(QuotaPeriod.containing(now).start());
    Instant to = time(ctx, "to").orElse(now.plusSeconds(1));
    String granularity = Optional.ofNullable(ctx.request().getParam("granularity")).orElse("day");
    String groupBy = Optional.ofNullable(ctx.request().getParam("group_by")).orElse("metric");
    Optional<Metric> metric = Optional.ofNullable(ctx.request().getParam("metric")).map(m -> Metric.fromWire(m)
        .orElseThrow(() -> ApiException.badRequest("validation-failed", "metric: unknown metric '" + m + "'")));
    if (!from.isBefore(to)) {
      throw ApiException.badRequest("validation-failed", "from must be before to");
    }
    boolean hourly = granularity.equals("hour");
    Duration max = hourly ? MAX_HOURLY_RANGE : MAX_DAILY_RANGE;
    if (Duration.between(from, to).compareTo(max) > 0) {
      throw ApiException.badRequest("validation-failed", "the range is limited to " + max.toDays() + " days at " + granularity + " granularity");
    }
    String seriesKey = switch (groupBy) {
      case "model" -> "model";
      case "key" -> "api_key_id";
      default -> "metric";
    };
    return usage.series(Principals.of(ctx).tenant(), from, to, hourly, groupBy, metric).map(points -> {
      Map<String, JsonArray> byGroup = new LinkedHashMap<>();
      for (UsageStore.Point p : points) {
        byGroup.computeIfAbsent(p.group(), g -> new JsonArray())
            .add(new JsonObject().put("start", p.start().toString()).put("quantity", p.quantity().stripTrailingZeros().toPlainString()));
      }
      JsonArray series = new JsonArray();
      byGroup.forEach((group, pts) -> series.add(new JsonObject().put(seriesKey, label(groupBy, group)).put("points", pts)));
      return Reply.ok(new JsonObject()
          .put("from", from.toString())
          .put("to", to.toString())
          .put("granularity", hourly ? "hour" : "day")
          .put("group_by", groupBy)
          .put("series", series));
    });
  }

  /** Rollups store "no model" and "no key" as '' and the nil uuid; the API says null. */
  private static String label(String groupBy, String group) {
    if (groupBy.equals("model") && group.isEmpty()) {
      return null;
    }
    if (groupBy.equals("key") && group.equals("00000000-0000-0000-0000-000000000000")) {
      return null;
    }
    return group;
  }

  private static Optional<Instant> time(RoutingContext ctx, String name) {
    String raw = ctx.request().getParam(name);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(raw).toInstant());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("validation-failed", name + ": not an ISO-8601 date-time with offset: " + raw);
    }
  }
}

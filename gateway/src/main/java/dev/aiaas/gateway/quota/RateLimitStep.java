package dev.aiaas.gateway.quota;

import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.auth.Tenants;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The rate-limit step of the request chain: 429 with {@code Retry-After} when the tenant's or the
 * key's bucket is empty; the {@code RateLimit-*} headers on every answer either way.
 */
public final class RateLimitStep implements Handler<RoutingContext> {

  private final RateLimiter limiter;

  public RateLimitStep(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<Gcra.Decision> decision = Tenants.of(ctx).flatMap(tenant -> limiter.check(tenant, Principals.of(ctx)));
    if (decision.isEmpty()) {
      ctx.next();
      return;
    }
    Gcra.Decision d = decision.get();
    HttpServerResponse response = ctx.response();
    response.putHeader("RateLimit-Limit", Integer.toString(d.limit()));
    response.putHeader("RateLimit-Remaining", Integer.toString(d.remaining()));
    response.putHeader("RateLimit-Reset", Long.toString(seconds(d.resetNanos())));
    if (d.allowed()) {
      ctx.next();
    } else {
      long retryAfter = Math.max(1, seconds(d.retryAfterNanos()));
      ctx.fail(ApiException.tooManyRequests("rate-limited",
          "rate limit of the plan exceeded (" + d.limit() + " requests burst); retry in " + retryAfter + " s", retryAfter));
    }
  }

  private static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }
}

package dev.aiaas.gateway.quota;

import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.plans.Plan;
import dev.aiaas.gateway.tenants.Tenant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-tenant and per-key request rates from the plan (requests per second with a burst), in
 * memory on each gateway node. A request must fit both buckets; it consumes from both only when
 * it does. In a cluster each node enforces the rate on its own, so N nodes behind a balancer admit
 * up to N times the plan's rate.
 */
public final class RateLimiter {

  private final LongSupplier nanoClock;
  private final Map<String, Gcra> buckets = new ConcurrentHashMap<>();

  public RateLimiter(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The decision for one request of {@code principal} in {@code tenant}; empty if the plan has no rate limit. */
  public Optional<Gcra.Decision> check(Tenant tenant, Principal principal) {
    Plan plan = tenant.plan();
    if (plan.ratePerSecond().isEmpty()) {
      return Optional.empty();
    }
    int rate = plan.ratePerSecond().get();
    int burst = plan.rateBurst().orElse(rate);
    long now = nanoClock.getAsLong();
    Gcra tenantBucket = buckets.computeIfAbsent("t:" + tenant.id(), k -> new Gcra());
    if (principal.kind() != Principal.Kind.API_KEY) {
      return Optional.of(tenantBucket.acquire(now, rate, burst));
    }
    Gcra keyBucket = buckets.computeIfAbsent("k:" + principal.id(), k -> new Gcra());
    // Lock order is fixed (key, then tenant) so two requests never wait on each other in reverse.
    synchronized (keyBucket) {
      Gcra.Decision key = keyBucket.acquire(now, rate, burst);
      if (!key.allowed()) {
        return Optional.of(key);
      }
      Gcra.Decision shared = tenantBucket.acquire(now, rate, burst);
      if (!shared.allowed()) {
        keyBucket.refund(rate);
        return Optional.of(shared);
      }
      return Optional.of(shared.remaining() <= key.remaining() ? shared : key);
    }
  }

  /** Forgets buckets that are full again; called now and then to bound memory. */
  public void evictIdle() {
    long now = nanoClock.getAsLong();
    buckets.values().removeIf(b -> b.idle(now));
  }
}

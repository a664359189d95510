package dev.aiaas.gateway.quota;

import dev.aiaas.gateway.cache.CallerContext;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.UsageStore;
import dev.aiaas.gateway.tenants.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hard period quotas, admitted before the work is done. Units of a tenant's monthly quota are
 * leased in chunks from one counter shared by all gateway nodes (a Vert.x shared-data counter:
 * in-process alone, Hazelcast-backed in a cluster) that never hands out more than the limit; each
 * node then admits from its lease in memory, with no I/O per request. So N concurrent calls against
 * a remaining quota of Q admit exactly Q, on one node or many. A lease a node cannot return (it
 * crashed) is lost for the rest of the period: the tenant is then refused up to one chunk early.
 * The counter starts each period from the durable usage in PostgreSQL. An allowance is shared by
 * the requests of every event loop, hence the locks; a request waiting for a lease continues on its
 * own loop, whichever loop asked for the lease.
 */
public final class QuotaLedger {

  /** Largest lease a node takes at once; smaller quotas lease a twentieth at a time. */
  static final long MAX_CHUNK = 1_000;

  /**
   * After the shared counter was found at the limit, how long a node refuses without asking it
   * again (other nodes may have returned leases in the meantime, e.g. at their shutdown).
   */
  static final long RECHECK_EXHAUSTED_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final UsageStore usage;
  private final Clock clock;
  private final Map<AllowanceKey, Allowance> allowances = new ConcurrentHashMap<>();

  /** Which allowance: a record rather than a joined string, so the request path builds no text. */
  private record AllowanceKey(UUID tenantId, Metric metric, QuotaPeriod period) {}

  public QuotaLedger(Vertx vertx, UsageStore usage, Clock clock) {
    this.vertx = vertx;
    this.usage = usage;
    this.clock = clock;
  }

  /** Units held for one call: confirmed when its usage is durable, released otherwise. */
  public interface Reservation {
    void release();

    Reservation NONE = () -> { };
  }

  /** Units this node may still admit for one tenant, metric and period, and the counter behind them. */
  private final class Allowance {
    final UUID tenantId;
    final Metric metric;
    final QuotaPeriod period;
    long local;
    Future<Counter> counter;
    Future<Void> leasing;
    /** When a lease last came back empty: the shared counter was at the limit. */
    boolean exhausted;
    long exhaustedAt;

    Allowance(UUID tenantId, Metric metric, QuotaPeriod period) {
      this.tenantId = tenantId;
      this.metric = metric;
      this.period = period;
    }
  }

  /**
   * Reserves {@code units} of {@code metric} for a call of {@code tenant}; fails with 429
   * {@code quota-exceeded} when a hard quota has not that many left. Unlimited and soft quotas
   * reserve nothing (soft overage is billed).
   */
  public Future<Reservation> reserve(Tenant tenant, Metric metric, long units) {
    OptionalLong limit = tenant.plan().limit(metric.wireName());
    if (limit.isEmpty() || tenant.plan().isSoft(metric.wireName()) || units <= 0) {
      return Future.succeededFuture(Reservation.NONE);
    }
    QuotaPeriod period = QuotaPeriod.containing(clock.instant());
    AllowanceKey key = new AllowanceKey(tenant.id(), metric, period);
    Allowance allowance = allowances.get(key);
    if (allowance == null) {
      allowance = allowances.computeIfAbsent(key, k -> new Allowance(k.tenantId(), k.metric(), k.period()));
    }
    return take(allowance, units, limit.getAsLong());
  }

  private Future<Reservation> take(Allowance a, long units, long limit) {
    Future<Void> inFlight;
    synchronized (a) {
      if (a.local >= units) {
        a.local -= units;
        return Future.succeededFuture(() -> giveBack(a, units));
      }
      if (a.exhausted && System.nanoTime() - a.exhaustedAt < RECHECK_EXHAUSTED_NANOS) {
        return Future.failedFuture(exceeded(a, limit));
      }
      // One lease at a time per allowance; concurrent callers wait for it (it may complete at once).
      if (a.leasing == null || a.leasing.isComplete()) {
        a.leasing = lease(a, units, limit);
      }
      inFlight = a.leasing;
    }
    // After the lease, another look: it may have brought units, or found the counter at the limit. The
    // lease may have been begun by a request of another event loop: this one continues on its own.
    return CallerContext.deliver(inFlight).transform(lease -> lease.failed() ? Future.failedFuture(lease.cause()) : take(a, units, limit));
  }

  private Future<Void> lease(Allowance a, long units, long limit) {
    long chunk = Math.max(units, Math.min(MAX_CHUNK, Math.max(1, limit / 20)));
    return counter(a).compose(counter -> counter.addAndGet(chunk).compose(total -> {
      long over = Math.max(0, total - limit);
      long granted = chunk - Math.min(chunk, over);
      Future<Long> giveBack = granted == chunk ? Future.succeededFuture(total) : counter.addAndGet(-(chunk - granted));
      return giveBack.map(ignored -> {
        synchronized (a) {
          a.local += granted;
          a.exhausted = granted == 0;
          a.exhaustedAt = System.nanoTime();
        }
        return null;
      });
    }));
  }

  /** The shared counter, seeded once per period from the durable usage. */
  private Future<Counter> counter(Allowance a) {
    Future<Counter> opening;
    synchronized (a) {
      if (a.counter == null || a.counter.failed()) {
        String name = "aiaas.quota." + a.tenantId + "." + a.metric.wireName() + "." + a.period;
        a.counter = vertx.sharedData().getCounter(name).compose(counter -> counter.get().compose(current -> current > 0
            ? Future.succeededFuture(counter)
            : usage.total(a.tenantId, a.metric, a.period.start(), a.period.end())
                .compose(used -> counter.compareAndSet(0, used.longValue()))
                .map(counter)));
      }
      // Once open, the counter itself rather than the future of the loop that opened it, so the
      // lease runs on the caller's event loop.
      if (a.counter.succeeded()) {
        return Future.succeededFuture(a.counter.result());
      }
      opening = a.counter;
    }
    return CallerContext.deliver(opening);
  }

  private static void giveBack(Allowance a, long units) {
    synchronized (a) {
      a.local += units;
    }
  }

  private ApiException exceeded(Allowance a, long limit) {
    return ApiException.tooManyRequests("quota-exceeded",
            "the monthly " + a.metric.wireName() + " quota of " + limit + " is used up; it resets at " + a.period.end(),
            Math.max(1, a.period.end().getEpochSecond() - clock.instant().getEpochSecond()))
        .withExtension("metric", a.metric.wireName())
        .withExtension("limit", limit)
        .withExtension("used", limit)
        .withExtension("resets_at", a.period.end().toString());
  }

  /** Returns what this node leased but did not use, so other nodes can have it; at shutdown. */
  public Future<Void> returnLeases() {
    List<Future<?>> returns = new ArrayList<>();
    for (Allowance a : allowances.values()) {
      long unused;
      synchronized (a) {
        unused = a.local;
        a.local = 0;
      }
      if (unused > 0 && a.counter != null && a.counter.succeeded()) {
        returns.add(a.counter.result().addAndGet(-unused));
      }
    }
    return Future.join(returns).mapEmpty();
  }
}

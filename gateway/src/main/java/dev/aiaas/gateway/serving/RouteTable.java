package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.cache.LoadingCache;
import dev.aiaas.worker.api.RouteChanged;
import dev.aiaas.worker.api.ServingAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway's cache of deployments, so a predict call costs no query: entries are dropped
 * when any gateway publishes {@link ServingAddresses#ROUTE_CHANGED} and expire after {@link #TTL}
 * anyway (a missed publish heals itself). Concurrent misses share one query.
 */
public final class RouteTable {

  static final Duration TTL = Duration.ofSeconds(10);

  private record Key(UUID tenantId, String name) {}

  private final Vertx vertx;
  private final LoadingCache<Key, Optional<Deployment>> entries;
  private MessageConsumer<RouteChanged> changes;
  private long sweeper = -1;

  public RouteTable(Vertx vertx, DeploymentStore store) {
    this.vertx = vertx;
    this.entries = new LoadingCache<>(key -> store.find(key.tenantId(), key.name()), deployment -> TTL.toNanos(), Integer.MAX_VALUE);
  }

  public Future<Void> start() {
    changes = vertx.eventBus().consumer(ServingAddresses.ROUTE_CHANGED,
        msg -> entries.invalidate(new Key(msg.body().tenantId(), msg.body().name())));
    // Expired entries go, so names asked for once (or never deployed) do not pile up.
    sweeper = vertx.setPeriodic(TTL.toMillis() * 3, id -> entries.evictExpired());
    return changes.completion();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(sweeper);
    return changes == null ? Future.succeededFuture() : changes.unregister();
  }

  /** What {@code name} of the tenant serves now, if deployed; delivered on the caller's event loop. */
  public Future<Optional<Deployment>> route(UUID tenantId, String name) {
    return entries.get(new Key(tenantId, name));
  }

  /** Forgets the route here and on every other gateway. */
  public void publishChange(UUID tenantId, String name) {
    entries.invalidate(new Key(tenantId, name));
    vertx.eventBus().publish(ServingAddresses.ROUTE_CHANGED, new RouteChanged(tenantId, name));
  }

  /** Forgets the route here only (after a worker said it no longer serves it). */
  void forget(UUID tenantId, String name) {
    entries.invalidate(new Key(tenantId, name));
  }
}

package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.cache.LoadingCache;
import dev.aiaas.gateway.cluster.GatewayAddresses;
import dev.aiaas.gateway.cluster.GatewayMessages.TenantChanged;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenants (with their plans) the gateway has seen, kept in memory so the request path never
 * queries for them. A change made on any node is published on the event bus and drops the entry
 * everywhere; the time-to-live bounds staleness should a message be lost.
 */
public final class TenantDirectory {

  private static final Duration TTL = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final LoadingCache<UUID, Optional<Tenant>> cache;
  private MessageConsumer<TenantChanged> changes;

  public TenantDirectory(Vertx vertx, TenantStore store) {
    this.vertx = vertx;
    this.cache = new LoadingCache<>(store::byId, tenant -> TTL.toNanos(), Integer.MAX_VALUE);
  }

  public Future<Void> start() {
    changes = vertx.eventBus().consumer(GatewayAddresses.TENANT_CHANGED,
        msg -> msg.body().tenantId().ifPresentOrElse(cache::invalidate, cache::invalidateAll));
    return changes.completion();
  }

  /** The tenant, from memory when known; delivered on the caller's event loop, whichever loop loaded it. */
  public Future<Optional<Tenant>> get(UUID id) {
    return cache.get(id);
  }

  /** Tells every gateway node that {@code tenant} changed (empty: every tenant, e.g. a plan changed). */
  public void publishChange(Optional<UUID> tenant) {
    // Locally at once, so this node's next request already sees the change; others via the bus.
    tenant.ifPresentOrElse(cache::invalidate, cache::invalidateAll);
    vertx.eventBus().publish(GatewayAddresses.TENANT_CHANGED, new TenantChanged(tenant));
  }

  public Future<Void> stop() {
    return changes == null ? Future.succeededFuture() : changes.unregister();
  }
}

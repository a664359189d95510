package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.cluster.GatewayAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants (with their plans) the gateway has seen, kept in memory so the request path never
 * queries for them. A change made on any node is published on the event bus and drops the entry
 * everywhere; the time-to-live bounds staleness should a message be lost.
 */
public final class TenantDirectory {

  private static final Duration TTL = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final TenantStore store;
  private final Map<UUID, Entry> cache = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> changes;

  /** A load in flight or done; concurrent requests for one tenant share it. */
  private record Entry(Future<Optional<Tenant>> tenant, long loadedAt) {}

  public TenantDirectory(Vertx vertx, TenantStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  public Future<Void> start() {
    changes = vertx.eventBus().consumer(GatewayAddresses.TENANT_CHANGED, msg -> {
      String id = msg.body().getString("tenant_id");
      if (id == null) {
        cache.clear();
      } else {
        cache.remove(UUID.fromString(id));
      }
    });
    return changes.completion();
  }

  public Future<Optional<Tenant>> get(UUID id) {
    long now = System.nanoTime();
    Entry entry = cache.compute(id, (k, current) -> current != null && !stale(current, now) ? current : new Entry(store.byId(k), now));
    // A failed load (database down) must not stick: the next request tries again.
    entry.tenant().onFailure(e -> cache.remove(id, entry));
    return entry.tenant();
  }

  private static boolean stale(Entry entry, long now) {
    return now - entry.loadedAt() > TTL.toNanos() || (entry.tenant().isComplete() && entry.tenant().failed());
  }

  /** Tells every gateway node that {@code tenant} changed (empty: every tenant, e.g. a plan changed). */
  public void publishChange(Optional<UUID> tenant) {
    JsonObject body = new JsonObject();
    // Locally at once, so this node's next request already sees the change; others via the bus.
    tenant.ifPresentOrElse(cache::remove, cache::clear);
    tenant.ifPresent(id -> body.put("tenant_id", id.toString()));
    vertx.eventBus().publish(GatewayAddresses.TENANT_CHANGED, body);
  }

  public Future<Void> stop() {
    return changes == null ? Future.succeededFuture() : changes.unregister();
  }
}

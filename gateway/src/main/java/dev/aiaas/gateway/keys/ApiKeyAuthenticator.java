package dev.aiaas.gateway.keys;

import dev.aiaas.gateway.auth.Hashing;
import dev.aiaas.gateway.auth.KeyScope;
import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.cluster.GatewayAddresses;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a presented API key into a principal. Lookups are cached by the key's hash so the request
 * path does no I/O for a known key; a revocation on any node is published on the event bus and
 * evicts the key everywhere at once, and the time-to-live bounds staleness should a message be
 * lost. Unknown keys are cached briefly too, so a flood of bad keys does not reach the database.
 */
public final class ApiKeyAuthenticator {

  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Duration UNKNOWN_TTL = Duration.ofSeconds(5);
  private static final int MAX_ENTRIES = 100_000;

  private final Vertx vertx;
  private final ApiKeyStore store;
  private final KeyUsageTracker usage;
  private final Clock clock;
  private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> revocations;

  private record Entry(Future<Optional<ApiKeyStore.KeyGrant>> grant, long loadedAt) {}

  public ApiKeyAuthenticator(Vertx vertx, ApiKeyStore store, KeyUsageTracker usage, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.usage = usage;
    this.clock = clock;
  }

  public Future<Void> start() {
    revocations = vertx.eventBus().consumer(GatewayAddresses.KEY_REVOKED, msg -> forget(UUID.fromString(msg.body().getString("key_id"))));
    return revocations.completion();
  }

  /** The principal of a valid key; a 401 for an unknown, revoked or expired one. */
  public Future<Principal> authenticate(String secret) {
    String hash = HexFormat.of().formatHex(Hashing.sha256(secret));
    return lookup(hash).map(found -> {
      ApiKeyStore.KeyGrant grant = found.orElseThrow(() -> ApiException.unauthorized("the API key is not valid"));
      if (grant.revoked()) {
        throw ApiException.unauthorized("the API key has been revoked");
      }
      if (grant.expiresAt().filter(at -> !at.isAfter(clock.instant())).isPresent()) {
        throw ApiException.unauthorized("the API key has expired");
      }
      usage.used(grant.id());
      return new Principal(Principal.Kind.API_KEY, grant.id(), Optional.of(grant.tenantId()), Optional.empty(),
          KeyScope.permissions(grant.scopes()));
    });
  }

  private Future<Optional<ApiKeyStore.KeyGrant>> lookup(String hash) {
    long now = System.nanoTime();
    if (byHash.size() > MAX_ENTRIES) {
      // Bounded memory: dropping the cache costs one query per key, never correctness.
      byHash.clear();
    }
    Entry entry = byHash.compute(hash, (h, current) -> current != null && fresh(current, now) ? current
        : new Entry(store.grantByHash(HexFormat.of().parseHex(h)), now));
    entry.grant().onFailure(e -> byHash.remove(hash, entry));
    return entry.grant();
  }

  private static boolean fresh(Entry entry, long now) {
    Future<Optional<ApiKeyStore.KeyGrant>> grant = entry.grant();
    if (!grant.isComplete()) {
      return true;
    }
    if (grant.failed()) {
      return false;
    }
    Duration ttl = grant.result().isPresent() ? TTL : UNKNOWN_TTL;
    return now - entry.loadedAt() < ttl.toNanos();
  }

  /** Drops a key from this node's cache (it was revoked here or elsewhere). */
  void forget(UUID keyId) {
    byHash.values().removeIf(e -> e.grant().isComplete() && e.grant().succeeded()
        && e.grant().result().map(g -> g.id().equals(keyId)).orElse(false));
  }

  /** Revokes {@code keyId} in every gateway node's cache, this one at once. */
  public void publishRevocation(UUID keyId) {
    forget(keyId);
    vertx.eventBus().publish(GatewayAddresses.KEY_REVOKED, new JsonObject().put("key_id", keyId.toString()));
  }

  public Future<Void> stop() {
    return revocations == null ? Future.succeededFuture() : revocations.unregister();
  }
}

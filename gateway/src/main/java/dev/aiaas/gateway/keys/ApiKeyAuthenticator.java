package dev.aiaas.gateway.keys;

import dev.aiaas.gateway.auth.Hashing;
import dev.aiaas.gateway.auth.KeyScope;
import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.cache.LoadingCache;
import dev.aiaas.gateway.cluster.GatewayAddresses;
import dev.aiaas.gateway.cluster.GatewayMessages.KeyRevoked;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

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
  private final KeyUsageTracker usage;
  private final Clock clock;
  private final LoadingCache<String, Optional<ApiKeyStore.KeyGrant>> byHash;
  private MessageConsumer<KeyRevoked> revocations;

  public ApiKeyAuthenticator(Vertx vertx, ApiKeyStore store, KeyUsageTracker usage, Clock clock) {
    this.vertx = vertx;
    this.usage = usage;
    this.clock = clock;
    // Unknown keys briefly, known ones longer: a revocation evicts them at once anyway.
    this.byHash = new LoadingCache<>(hash -> store.grantByHash(HexFormat.of().parseHex(hash)),
        grant -> grant.isPresent() ? TTL.toNanos() : UNKNOWN_TTL.toNanos(), MAX_ENTRIES);
  }

  public Future<Void> start() {
    revocations = vertx.eventBus().consumer(GatewayAddresses.KEY_REVOKED, msg -> forget(msg.body().keyId()));
    return revocations.completion();
  }

  /** The principal of a valid key; a 401 for an unknown, revoked or expired one. */
  public Future<Principal> authenticate(String secret) {
    String hash = HexFormat.of().formatHex(Hashing.sha256(secret));
    return byHash.get(hash).map(found -> {
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

  /** Drops a key from this node's cache (it was revoked here or elsewhere). */
  void forget(UUID keyId) {
    byHash.invalidateIf(found -> found.map(grant -> grant.id().equals(keyId)).orElse(false));
  }

  /** Revokes {@code keyId} in every gateway node's cache, this one at once. */
  public void publishRevocation(UUID keyId) {
    forget(keyId);
    vertx.eventBus().publish(GatewayAddresses.KEY_REVOKED, new KeyRevoked(keyId));
  }

  public Future<Void> stop() {
    return revocations == null ? Future.succeededFuture() : revocations.unregister();
  }
}

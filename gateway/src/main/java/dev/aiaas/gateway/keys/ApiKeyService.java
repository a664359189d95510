package dev.aiaas.gateway.keys;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Hashing;
import dev.aiaas.gateway.auth.KeyScope;
import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creating, listing and revoking a tenant's API keys. */
public final class ApiKeyService {

  private final Pool pool;
  private final ApiKeyStore store;
  private final ApiKeyAuthenticator authenticator;
  private final AuditLog audit;
  private final Clock clock;

  public ApiKeyService(Pool pool, ApiKeyStore store, ApiKeyAuthenticator authenticator, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.store = store;
    this.authenticator = authenticator;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Creates a key and returns it with its secret, the only time the secret is ever shown. A key
   * may only grant what its creator holds, so a key cannot mint a more powerful one.
   */
  public Future<JsonObject> create(Principal creator, String name, List<KeyScope> scopes, Optional<Instant> expiresAt, AuditEvent event) {
    UUID tenantId = creator.tenant();
    for (KeyScope scope : scopes) {
      if (!creator.has(scope.permission())) {
        return Future.failedFuture(ApiException.forbidden("scope-not-held",
            "you cannot create a key with scope '" + scope.wireName() + "', which you do not hold yourself"));
      }
    }
    if (expiresAt.filter(at -> !at.isAfter(clock.instant())).isPresent()) {
      return Future.failedFuture(ApiException.badRequest("validation-failed", "expires_at must be in the future"));
    }
    String secret = ApiKeySecrets.generate();
    return pool.withTransaction(tx -> store.insert(tx, tenantId, name, ApiKeySecrets.displayPrefix(secret), Hashing.sha256(secret),
                List.copyOf(new java.util.LinkedHashSet<>(scopes)), expiresAt, creator.userId())
            .compose(key -> audit.record(tx, event.target("api_key:" + key.id()).detail("name", name)
                    .detail("scopes", key.toJson().getJsonArray("scopes")))
                .map(key)))
        .map(key -> key.toJson().put("key", secret));
  }

  public Future<List<ApiKey>> list(Principal caller) {
    return store.list(caller.tenant());
  }

  /** Revokes the key everywhere within a second; another tenant's key id answers 404. */
  public Future<Void> revoke(Principal caller, UUID keyId, AuditEvent event) {
    return pool.withTransaction(tx -> store.revoke(tx, caller.tenant(), keyId)
            .compose(revoked -> revoked.isEmpty() ? Future.failedFuture(ApiException.notFound("no API key with id " + keyId))
                : audit.record(tx, event.target("api_key:" + keyId).detail("name", revoked.get().name()))))
        .onSuccess(ignored -> authenticator.publishRevocation(keyId));
  }
}

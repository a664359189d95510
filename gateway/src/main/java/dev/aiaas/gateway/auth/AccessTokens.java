package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.cache.LoadingCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Issues and verifies the console's short-lived access tokens (JWT, ES256, signed with {@link
 * JwtKeys}). Verification refuses any token whose header names another algorithm or key before
 * a signature is even looked at, then checks signature, expiry, issuer and audience. A verified
 * token is remembered until its expiry (a bounded cache keyed by the whole token), so a console
 * session pays for the signature check once rather than on every request; whether its session is
 * still alive is not part of this answer and is asked on every request (see {@link LiveSessions}).
 */
public final class AccessTokens {

  /** How long an access token is valid; refresh tokens carry a session beyond that. */
  public static final Duration TTL = Duration.ofMinutes(15);

  static final String ISSUER = "aiaas";
  static final String AUDIENCE = "aiaas-api";

  /** Most verified tokens remembered; past it the cache starts over (one more verification per token). */
  static final int MAX_CACHED = 10_000;

  private final JwtKeys keys;
  private final JWTAuth jwt;
  /** Only verified tokens: a failed verification is not kept, so a bad token is checked (and refused) every time. */
  private final LoadingCache<String, Verified> verified;

  /** A verified token's principal, and how long after its verification it stays valid. */
  private record Verified(Principal principal, long ttlNanos) {}

  public AccessTokens(Vertx vertx, JwtKeys keys) {
    this(vertx, keys, MAX_CACHED);
  }

  AccessTokens(Vertx vertx, JwtKeys keys, int maxCached) {
    this.keys = keys;
    this.verified = new LoadingCache<>(this::verifyNow, Verified::ttlNanos, maxCached);
    JWTOptions verifyOptions = new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE)).setLeeway(5);
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .setJWTOptions(verifyOptions)
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(JwtKeys.ALGORITHM).setId(keys.kid()).setBuffer(keys.privatePem()))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(JwtKeys.ALGORITHM).setId(keys.kid()).setBuffer(keys.publicPem())));
  }

  /** A signed token for a console user or the platform admin, within the session {@code sessionId}. */
  public String issue(Identity who, UUID sessionId) {
    JsonObject claims = new JsonObject()
        .put("sub", who.userId().toString())
        .put("role", who.role())
        .put("sid", sessionId.toString())
        .put("jti", UUID.randomUUID().toString());
    who.tenantId().ifPresent(t -> claims.put("tid", t.toString()));
    return jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm(JwtKeys.ALGORITHM)
        .setHeader(new JsonObject().put("kid", keys.kid()))
        .setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE))
        .setExpiresInSeconds((int) TTL.toSeconds()));
  }

  /** The principal a valid token stands for; fails with a reason for anything else. */
  public Future<Principal> verify(String token) {
    return verified.get(token).map(Verified::principal);
  }

  /** How many verified tokens are remembered (for tests of the bound). */
  int cachedTokens() {
    return verified.size();
  }

  private Future<Verified> verifyNow(String token) {
    Optional<String> headerProblem = checkHeader(token);
    if (headerProblem.isPresent()) {
      return Future.failedFuture(headerProblem.get());
    }
    return jwt.authenticate(new TokenCredentials(token)).compose(user -> {
      JsonObject claims = user.principal();
      // Checked again here so that a change of library defaults cannot silently drop them.
      if (!ISSUER.equals(claims.getString("iss")) || !audienceMatches(claims.getValue("aud"))) {
        return Future.failedFuture("wrong issuer or audience");
      }
      try {
        // Kept until the expiry the token states (the library files it among the user's
        // attributes). Every token this platform signs has one; one without is refused as
        // malformed, so nothing is kept forever.
        Number exp = user.get("exp");
        long ttlNanos = TimeUnit.MILLISECONDS.toNanos(exp.longValue() * 1_000 - System.currentTimeMillis());
        return Future.succeededFuture(new Verified(toPrincipal(claims), ttlNanos));
      } catch (RuntimeException e) {
        return Future.failedFuture("malformed claims");
      }
    });
  }

  private Optional<String> checkHeader(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0 || token.chars().filter(c -> c == '.').count() != 2) {
      return Optional.of("not a JWT");
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Optional.of("unreadable JWT header");
    }
    if (!JwtKeys.ALGORITHM.equals(header.getValue("alg"))) {
      return Optional.of("algorithm not allowed");
    }
    if (!keys.kid().equals(header.getValue("kid"))) {
      return Optional.of("unknown signing key");
    }
    // ES256 signatures are exactly 64 bytes (RFC 7518, 3.4); a decoder lenient about trailing
    // bytes would otherwise accept altered copies of a valid token.
    try {
      if (Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)).length != 64) {
        return Optional.of("malformed signature");
      }
    } catch (IllegalArgumentException e) {
      return Optional.of("malformed signature");
    }
    return Optional.empty();
  }

  private static boolean audienceMatches(Object aud) {
    if (aud instanceof String s) {
      return AUDIENCE.equals(s);
    }
    return aud instanceof io.vertx.core.json.JsonArray list && list.contains(AUDIENCE);
  }

  private static Principal toPrincipal(JsonObject claims) {
    UUID userId = UUID.fromString(claims.getString("sub"));
    // Every token belongs to a session, so that ending the session ends the token.
    Optional<UUID> sessionId = Optional.of(UUID.fromString(claims.getString("sid")));
    String role = claims.getString("role", "");
    if ("platform_admin".equals(role)) {
      return new Principal(Principal.Kind.PLATFORM_ADMIN, userId, Optional.empty(), Optional.of(userId),
          EnumSet.of(Permission.ADMINISTER_PLATFORM), sessionId);
    }
    UUID tenantId = UUID.fromString(claims.getString("tid"));
    Set<Permission> permissions = TenantRole.fromWire(role).permissions();
    return new Principal(Principal.Kind.USER, userId, Optional.of(tenantId), Optional.of(userId), permissions, sessionId);
  }

  /** The JWKS document: the public key(s) clients may verify tokens with. */
  public JsonObject jwks() {
    return new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(keys.publicJwk()));
  }
}

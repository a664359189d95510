package dev.aiaas.gateway.auth;

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

/**
 * Issues and verifies the console's short-lived access tokens (JWT, ES256, signed with {@link
 * JwtKeys}). Verification refuses any token whose header names another algorithm or key before
 * a signature is even looked at, then checks signature, expiry, issuer and audience.
 */
public final class AccessTokens {

  /** How long an access token is valid; refresh tokens carry a session beyond that. */
  public static final Duration TTL = Duration.ofMinutes(15);

  static final String ISSUER = "aiaas";
  static final String AUDIENCE = "aiaas-api";

  private final JwtKeys keys;
  private final JWTAuth jwt;

  public AccessTokens(Vertx vertx, JwtKeys keys) {
    this.keys = keys;
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
        return Future.succeededFuture(toPrincipal(claims));
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

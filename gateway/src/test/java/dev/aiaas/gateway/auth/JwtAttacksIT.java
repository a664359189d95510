package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Forged and doctored console tokens, each of which must get 401. A control token built the same
 * way with the real key and valid claims gets 200, so each refusal is for the reason tested.
 */
class JwtAttacksIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;
  private static JsonObject header;
  private static JsonObject claims;
  private static PrivateKey platformKey;
  private static Path keyFile;

  @BeforeAll
  static void realToken() throws Exception {
    acme = TenantFixture.create(app, "acme");
    header = TestJwt.header(acme.ownerToken());
    claims = TestJwt.claims(acme.ownerToken());
    keyFile = app.dataDir().resolve("jwt-key.pem");
    platformKey = TestJwt.platformKey(keyFile);
  }

  private static int statusWith(String token) {
    Api.Response response = app.api().as(token).get("/v1/tenant");
    if (response.status() == 401) {
      assertEquals("urn:aiaas:problem:unauthorized", response.json().getString("type"));
    }
    return response.status();
  }

  private static JsonObject freshClaims() {
    long now = Instant.now().getEpochSecond();
    return claims.copy().put("iat", now).put("exp", now + 300);
  }

  /** Verifies that the hand-built control token with the real key and valid claims is accepted. */
  @Test
  void controlTokenIsAccepted() throws Exception {
    assertEquals(200, statusWith(TestJwt.es256(header, freshClaims(), platformKey)));
    assertEquals(200, statusWith(acme.ownerToken()));
  }

  /** Verifies that an unsigned token ({@code alg: none}) is refused. */
  @Test
  void algNone() {
    assertEquals(401, statusWith(TestJwt.unsigned(header.copy().put("alg", "none"), freshClaims())));
    assertEquals(401, statusWith(TestJwt.unsigned(header.copy().put("alg", "None"), freshClaims())));
  }

  /** Verifies that HS256 signed with the public key as the HMAC secret (key confusion) is refused. */
  @Test
  void hs256WithPublicKey() throws Exception {
    byte[] publicPem = TestJwt.platformPublicPem(keyFile).getBytes(StandardCharsets.US_ASCII);
    assertEquals(401, statusWith(TestJwt.hs256(header.copy().put("alg", "HS256"), freshClaims(), publicPem)));
  }

  /** Verifies that a wrong issuer is refused. */
  @Test
  void wrongIssuer() throws Exception {
    assertEquals(401, statusWith(TestJwt.es256(header, freshClaims().put("iss", "someone-else"), platformKey)));
  }

  /** Verifies that a wrong audience is refused. */
  @Test
  void wrongAudience() throws Exception {
    assertEquals(401, statusWith(TestJwt.es256(header, freshClaims().put("aud", "another-api"), platformKey)));
  }

  /** Verifies that an expired token is refused. */
  @Test
  void expired() throws Exception {
    long now = Instant.now().getEpochSecond();
    assertEquals(401, statusWith(TestJwt.es256(header, claims.copy().put("iat", now - 3600).put("exp", now - 60), platformKey)));
  }

  /** Verifies that a token signed with the real key is refused without a session, or naming a session that never existed. */
  @Test
  void tokensOutsideASession() throws Exception {
    JsonObject noSession = freshClaims();
    noSession.remove("sid");

    assertEquals(401, statusWith(TestJwt.es256(header, noSession, platformKey)));
    assertEquals(401, statusWith(TestJwt.es256(header, freshClaims().put("sid", java.util.UUID.randomUUID().toString()), platformKey)));
    assertEquals(401, statusWith(TestJwt.es256(header, freshClaims().put("sid", "not-a-uuid"), platformKey)));
  }

  /** Verifies that changing the payload of a real token breaks it (role raised, tenant swapped). */
  @Test
  void tamperedPayload() {
    String[] parts = acme.ownerToken().split("\\.");
    for (JsonObject doctored : new JsonObject[] {claims.copy().put("role", "platform_admin"),
        claims.copy().put("tid", "00000000-0000-0000-0000-000000000001")}) {
      String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(doctored.encode().getBytes(StandardCharsets.UTF_8));
      assertEquals(401, statusWith(parts[0] + "." + payload + "." + parts[2]));
    }
  }

  /** Verifies that a token naming an unknown key id is refused, even when signed with the real key. */
  @Test
  void unknownKid() throws Exception {
    assertEquals(401, statusWith(TestJwt.es256(header.copy().put("kid", "not-our-key"), freshClaims(), platformKey)));
    assertEquals(401, statusWith(TestJwt.es256(withoutKid(), freshClaims(), platformKey)));
  }

  /** Verifies that a token signed by another key (claiming our key id) is refused. */
  @Test
  void signedByAnotherKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey attackerKey = generator.generateKeyPair().getPrivate();

    assertEquals(401, statusWith(TestJwt.es256(header, freshClaims(), attackerKey)));
  }

  /** Verifies that garbage in the bearer header is a 401, not a 500. */
  @Test
  void garbage() {
    for (String token : new String[] {"x", "a.b.c", "....", "eyJhbGciOiJFUzI1NiJ9.e30.", "Bearer", "\u00e9\u00e8"}) {
      assertEquals(401, statusWith(token), token);
    }
  }

  private static JsonObject withoutKid() {
    JsonObject h = header.copy();
    h.remove("kid");
    return h;
  }
}

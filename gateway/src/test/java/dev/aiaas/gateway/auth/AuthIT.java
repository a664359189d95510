package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Console sign-in: login, throttling, refresh-token rotation and reuse detection, JWKS. */
class AuthIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;

  @BeforeAll
  static void tenant() {
    acme = TenantFixture.create(app, "acme");
  }

  private static Api.Response login(String email, String password) {
    return app.api().post("/v1/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  private static Api.Response refresh(String token) {
    return app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", token));
  }

  /** Verifies that a login answers a bearer token pair whose access token works and is not cached. */
  @Test
  void loginIssuesWorkingTokens() {
    Api.Response response = login(acme.ownerEmail(), TenantFixture.PASSWORD);

    assertEquals(200, response.status(), response.toString());
    JsonObject pair = response.json();
    assertEquals("Bearer", pair.getString("token_type"));
    assertEquals(900, pair.getInteger("expires_in"));
    assertNotNull(pair.getString("refresh_token"));
    assertEquals("no-store", response.header("Cache-Control"));
    assertEquals(200, app.api().as(pair.getString("access_token")).get("/v1/tenant").status());
  }

  /** Verifies that email matching ignores case, as people type it. */
  @Test
  void emailIsCaseInsensitive() {
    assertEquals(200, login(acme.ownerEmail().toUpperCase(java.util.Locale.ROOT), TenantFixture.PASSWORD).status());
  }

  /** Verifies that a wrong password and an unknown account get the same 401, telling nothing apart. */
  @Test
  void wrongPasswordAndUnknownAccountLookAlike() {
    Api.Response wrong = login("dev@" + acme.name() + ".test", "not the password");
    Api.Response unknown = login("nobody@nowhere.test", "whatever-password");

    assertEquals(401, wrong.status());
    assertEquals(401, unknown.status());
    assertEquals(wrong.json().getString("detail"), unknown.json().getString("detail"));
  }

  /** Verifies that after five failures an account is locked out (429 + Retry-After), even for the right password, while others are not. */
  @Test
  void repeatedFailuresAreThrottled() {
    TenantFixture victim = TenantFixture.create(app, "victim");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login(victim.ownerEmail(), "guess-" + i).status());
    }

    Api.Response locked = login(victim.ownerEmail(), TenantFixture.PASSWORD);

    assertEquals(429, locked.status(), locked.toString());
    assertEquals("login-throttled", locked.problem());
    assertTrue(Integer.parseInt(locked.header("Retry-After")) > 0);
    assertEquals(200, login(acme.ownerEmail(), TenantFixture.PASSWORD).status(), "another account is unaffected");
  }

  /** Verifies that a refresh rotates: the new pair works, the old refresh token is dead. */
  @Test
  void refreshRotates() {
    JsonObject first = login(acme.ownerEmail(), TenantFixture.PASSWORD).json();

    Api.Response rotated = refresh(first.getString("refresh_token"));

    assertEquals(200, rotated.status(), rotated.toString());
    assertNotEquals(first.getString("refresh_token"), rotated.json().getString("refresh_token"));
    assertEquals(200, app.api().as(rotated.json().getString("access_token")).get("/v1/tenant").status());
    assertEquals(200, refresh(rotated.json().getString("refresh_token")).status(), "the new refresh token works once");
  }

  /** Verifies that reusing a rotated refresh token revokes the whole family, including the newest token. */
  @Test
  void reuseRevokesTheFamily() {
    String original = login(acme.ownerEmail(), TenantFixture.PASSWORD).json().getString("refresh_token");
    String successor = refresh(original).json().getString("refresh_token");

    Api.Response reuse = refresh(original);

    assertEquals(401, reuse.status());
    assertTrue(reuse.json().getString("detail").contains("already used"), reuse.toString());
    assertEquals(401, refresh(successor).status(), "the thief's or the owner's newer token is dead too");
  }

  /** Verifies that unknown refresh tokens and malformed bodies are refused cleanly. */
  @Test
  void badRefreshRequests() {
    assertEquals(401, refresh("not-a-token").status());
    Api.Response missing = app.api().post("/v1/auth/refresh", new JsonObject());
    assertEquals(401, missing.status(), "no token in the body and no cookie");
    Api.Response wrongType = app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", 5));
    assertEquals(400, wrongType.status());
    assertEquals("validation-failed", wrongType.problem());
    Api.Response extra = app.api().post("/v1/auth/login", new JsonObject().put("email", "a@b.c").put("password", "x").put("admin", true));
    assertEquals(400, extra.status(), "unknown fields are refused");
    assertEquals(400, app.api().postRaw("/v1/auth/login", "application/json", "{not json").status());
  }

  /** Verifies that the JWKS publishes the ES256 public key whose kid tokens carry, and no private part. */
  @Test
  void jwksMatchesTokens() {
    JsonObject jwk = app.api().get("/.well-known/jwks.json").json().getJsonArray("keys").getJsonObject(0);

    assertEquals("ES256", jwk.getString("alg"));
    assertEquals("EC", jwk.getString("kty"));
    assertEquals(TestJwt.header(acme.ownerToken()).getString("kid"), jwk.getString("kid"));
    assertTrue(!jwk.containsKey("d"), "no private key material");
  }

  /** Verifies that the platform admin signs in and reaches the admin API, which tenant users cannot. */
  @Test
  void platformAdmin() {
    String admin = app.adminToken();

    assertEquals("platform_admin", TestJwt.claims(admin).getString("role"));
    assertEquals(200, app.api().as(admin).get("/v1/admin/tenants").status());
    assertEquals(403, app.api().as(acme.ownerToken()).get("/v1/admin/tenants").status());
  }
}

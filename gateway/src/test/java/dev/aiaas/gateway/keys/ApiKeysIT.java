package dev.aiaas.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API keys: the secret shown once, both headers, scopes, revocation, expiry, last use. */
class ApiKeysIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;
  private static Api owner;

  @BeforeAll
  static void tenant() {
    acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
  }

  private static Api.Response create(String name, JsonArray scopes) {
    return owner.post("/v1/keys", new JsonObject().put("name", name).put("scopes", scopes));
  }

  /** Verifies that the secret is returned once, starts with aiaas_, and never appears in listings. */
  @Test
  void secretShownOnce() {
    Api.Response created = create("ci", new JsonArray().add("read"));

    assertEquals(201, created.status(), created.toString());
    String secret = created.json().getString("key");
    assertTrue(secret.startsWith("aiaas_") && secret.length() > 40, secret);
    assertTrue(secret.startsWith(created.json().getString("prefix")));
    String listing = owner.get("/v1/keys").body();
    assertFalse(listing.contains(secret));
    assertTrue(listing.contains(created.json().getString("id")));
    assertFalse(owner.get("/v1/keys").data().getJsonObject(0).containsKey("key"));
  }

  /** Verifies that a key works as a bearer token and in X-API-Key. */
  @Test
  void bothHeaders() {
    String secret = create("both", new JsonArray().add("read")).json().getString("key");

    assertEquals(200, app.api().as(secret).get("/v1/tenant").status());
    assertEquals(200, app.api().withApiKeyHeader(secret).get("/v1/tenant").status());
  }

  /** Verifies that a key without the needed scope gets 403 naming the missing permission. */
  @Test
  void missingScopeIs403() {
    String predictOnly = create("predict only", new JsonArray().add("predict")).json().getString("key");

    Api.Response response = app.api().as(predictOnly).get("/v1/tenant");

    assertEquals(403, response.status());
    assertEquals("insufficient-permission", response.problem());
  }

  /** Verifies that a revoked key is refused on the very next request, and revoking is idempotent. */
  @Test
  void revocationIsImmediate() {
    Api.Response created = create("to revoke", new JsonArray().add("read"));
    String secret = created.json().getString("key");
    assertEquals(200, app.api().as(secret).get("/v1/tenant").status(), "cached as valid first");

    assertEquals(204, owner.delete("/v1/keys/" + created.json().getString("id")).status());

    Api.Response refused = app.api().as(secret).get("/v1/tenant");
    assertEquals(401, refused.status());
    assertTrue(refused.json().getString("detail").contains("revoked"));
    assertEquals(204, owner.delete("/v1/keys/" + created.json().getString("id")).status());
    assertNotNull(owner.get("/v1/keys").data().stream().map(JsonObject.class::cast)
        .filter(k -> k.getString("id").equals(created.json().getString("id"))).findFirst().orElseThrow().getString("revoked_at"));
  }

  /** Verifies that an unknown key id is a 404 and a malformed one a 400. */
  @Test
  void revokeUnknown() {
    assertEquals(404, owner.delete("/v1/keys/" + java.util.UUID.randomUUID()).status());
    assertEquals(400, owner.delete("/v1/keys/not-a-uuid").status());
  }

  /** Verifies that a key stops working once its expiry passes. */
  @Test
  void expiredKeyIsRefused() {
    Instant expiry = Instant.now().plusSeconds(2);
    Api.Response created = owner.post("/v1/keys", new JsonObject().put("name", "short").put("scopes", new JsonArray().add("read"))
        .put("expires_at", expiry.toString()));
    String secret = created.json().getString("key");
    assertEquals(200, app.api().as(secret).get("/v1/tenant").status());

    Api.Response after = Eventually.until(() -> app.api().as(secret).get("/v1/tenant"), r -> r.status() == 401, Duration.ofSeconds(10));

    assertTrue(after.json().getString("detail").contains("expired"), after.toString());
    assertFalse(Instant.now().isBefore(expiry), "refused only after the expiry");
  }

  /** Verifies that an expiry in the past, unknown scopes and empty scopes are refused with 400. */
  @Test
  void invalidRequests() {
    int before = owner.get("/v1/keys").data().size();
    assertEquals(400, owner.post("/v1/keys", new JsonObject().put("name", "old").put("scopes", new JsonArray().add("read"))
        .put("expires_at", "2000-01-01T00:00:00Z")).status());
    Api.Response unknownScope = create("x", new JsonArray().add("root"));
    assertEquals(400, unknownScope.status());
    assertTrue(unknownScope.body().contains("scopes"), unknownScope.toString());
    assertEquals(400, create("x", new JsonArray()).status());
    assertEquals(400, owner.post("/v1/keys", new JsonObject().put("scopes", new JsonArray().add("read"))).status());
    assertEquals(before, owner.get("/v1/keys").data().size(), "nothing was created");
  }

  /** Verifies that last_used_at is recorded (in a batch, within seconds) after a key is used. */
  @Test
  void lastUsedIsRecorded() {
    Api.Response created = create("used", new JsonArray().add("read"));
    String id = created.json().getString("id");
    assertEquals(200, app.api().as(created.json().getString("key")).get("/v1/tenant").status());

    JsonObject key = Eventually.until(() -> owner.get("/v1/keys").data().stream().map(JsonObject.class::cast)
        .filter(k -> k.getString("id").equals(id)).findFirst().orElseThrow(), k -> k.getString("last_used_at") != null, Duration.ofSeconds(15));

    assertFalse(Instant.parse(key.getString("last_used_at")).isBefore(Instant.parse(key.getString("created_at"))));
  }
}

package dev.aiaas.gateway.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Idempotency-Key on POST: replay of the first response, metered once, 422 on another body. */
class IdempotencyIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /** Verifies that a retry with the same key and body returns the first response and creates nothing more. */
  @Test
  void retryReplaysTheFirstResponse() {
    Api admin = app.api().as(app.adminToken());
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("name", "replayed-" + key.substring(0, 8));
    int before = admin.get("/v1/admin/tenants").data().size();

    Api.Response first = admin.post("/v1/admin/tenants", body, key);
    Api.Response retry = admin.post("/v1/admin/tenants", body, key);

    assertEquals(201, first.status(), first.toString());
    assertEquals(201, retry.status(), retry.toString());
    assertEquals(first.json(), retry.json(), "the very same response, same id");
    assertEquals("true", retry.header("Idempotent-Replayed"));
    assertNull(first.header("Idempotent-Replayed"));
    assertEquals(before + 1, admin.get("/v1/admin/tenants").data().size(), "one tenant, not two");
  }

  /** Verifies that the same key with another body is refused with 422 and changes nothing. */
  @Test
  void sameKeyOtherBodyIs422() {
    Api admin = app.api().as(app.adminToken());
    String key = UUID.randomUUID().toString();
    admin.post("/v1/admin/tenants", new JsonObject().put("name", "first-" + key.substring(0, 8)), key);
    int before = admin.get("/v1/admin/tenants").data().size();

    Api.Response other = admin.post("/v1/admin/tenants", new JsonObject().put("name", "second-" + key.substring(0, 8)), key);

    assertEquals(422, other.status());
    assertEquals("idempotency-key-reused", other.problem());
    assertEquals(before, admin.get("/v1/admin/tenants").data().size());
  }

  /** Verifies that a failed first attempt leaves the key free, so the corrected retry runs and is then replayed. */
  @Test
  void failureLeavesTheKeyFree() {
    Api admin = app.api().as(app.adminToken());
    String key = UUID.randomUUID().toString();
    JsonObject wrong = new JsonObject().put("name", "plan-" + key.substring(0, 8)).put("currency", "usd");
    JsonObject corrected = wrong.copy().put("currency", "USD");

    assertEquals(400, admin.post("/v1/admin/plans", wrong, key).status());
    Api.Response created = admin.post("/v1/admin/plans", corrected, key);
    Api.Response replayed = admin.post("/v1/admin/plans", corrected, key);

    assertEquals(201, created.status(), "the failure did not keep the key");
    assertEquals(created.json(), replayed.json());
    assertEquals("true", replayed.header("Idempotent-Replayed"));
    assertEquals(422, admin.post("/v1/admin/plans", wrong, key).status(), "once a response is kept, another body is refused");
  }

  /**
   * Verifies that a retried API-key call is metered once, and that a response holding a secret
   * (a new API key) is never stored: its retry says so instead of replaying it.
   */
  @Test
  void meteredOnceAndSecretsNotReplayed() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    Api key = app.api().as(acme.key());
    String idempotencyKey = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("name", "made by a key").put("scopes", new JsonArray().add("read"));

    Api.Response first = key.post("/v1/keys", body, idempotencyKey);
    Api.Response retry = key.post("/v1/keys", body, idempotencyKey);

    assertEquals(201, first.status(), first.toString());
    assertEquals(409, retry.status());
    assertEquals("idempotent-replay-unavailable", retry.problem());
    Api owner = app.api().as(acme.ownerToken());
    assertEquals(2, owner.get("/v1/keys").data().size(), "the fixture's key and the one created once");
    assertEquals("1", owner.get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("api_calls").getString("used"),
        "the retry was not metered");
  }

  /** Verifies that a malformed key is refused. */
  @Test
  void malformedKey() {
    Api admin = app.api().as(app.adminToken());
    assertEquals(400, admin.post("/v1/admin/tenants", new JsonObject().put("name", "x"), "x".repeat(300)).status());
  }
}

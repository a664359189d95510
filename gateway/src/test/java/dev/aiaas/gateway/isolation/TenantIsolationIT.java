package dev.aiaas.gateway.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariant 3 (tenants are isolated) and the role, scope and suspension rules of the tenancy API,
 * against the real application: two tenants, A and B, and B's credentials aimed at A.
 */
class TenantIsolationIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture a;
  private static TenantFixture b;
  /** Everything that identifies tenant A and must never reach B: ids, names, emails, key prefix. */
  private static List<String> aSecretsAndIds;
  private static String aKeyPrefix;
  private static String adminToken;

  @BeforeAll
  static void twoTenants() {
    adminToken = app.adminToken();
    // A plan without rate limit or quotas: this class sends many requests in quick succession.
    Api.Response plan = app.api().as(adminToken).post("/v1/admin/plans", new JsonObject().put("name", "isolation-unlimited"));
    assertEquals(201, plan.status(), plan::toString);
    a = TenantFixture.create(app, "alpha", "isolation-unlimited");
    b = TenantFixture.create(app, "bravo", "isolation-unlimited");
    aKeyPrefix = keysOf(app.api().as(a.ownerToken())).get(a.keyId()).getString("prefix");
    List<String> identifying = new ArrayList<>(List.of(a.id(), a.name(), a.ownerEmail(), a.keyId(), a.key(), aKeyPrefix,
        "dev@" + a.name() + ".test", "viewer@" + a.name() + ".test"));
    Api.Response users = app.api().as(adminToken).get("/v1/admin/tenants/" + a.id() + "/users");
    assertEquals(200, users.status(), users::toString);
    users.data().stream().map(u -> ((JsonObject) u).getString("id")).forEach(identifying::add);
    // A leaves traces of its own in the audit log, so B's view of it has something to leak.
    Api.Response extra = app.api().as(a.ownerToken()).post("/v1/keys", keyRequest("alpha's second key", "read"));
    assertEquals(201, extra.status(), extra::toString);
    identifying.add(extra.json().getString("id"));
    identifying.add(extra.json().getString("key"));
    aSecretsAndIds = List.copyOf(identifying);
  }

  /** Verifies that GET /v1/tenant answers with the caller's own tenant, whichever of B's credentials is used. */
  @Test
  void ownTenantIsTheOnlyTenantVisible() {
    for (Map.Entry<String, Api> caller : bCallers().entrySet()) {
      Api.Response tenant = caller.getValue().get("/v1/tenant");

      assertEquals(200, tenant.status(), caller.getKey() + ": " + tenant);
      assertEquals(b.id(), tenant.json().getString("id"), caller.getKey());
      assertEquals(b.name(), tenant.json().getString("name"), caller.getKey());
      assertNothingOfA(caller.getKey() + " GET /v1/tenant", tenant);
    }
  }

  /** Verifies that GET /v1/keys lists only the caller's tenant's keys and nothing of A's. */
  @Test
  void keyListShowsOnlyOwnKeys() {
    for (Map.Entry<String, Api> caller : bCallers().entrySet()) {
      Api.Response list = caller.getValue().get("/v1/keys");

      assertEquals(200, list.status(), caller.getKey() + ": " + list);
      Set<String> ids = ids(list.data());
      assertTrue(ids.contains(b.keyId()), caller.getKey() + " should see B's own key: " + list);
      assertFalse(ids.contains(a.keyId()), caller.getKey() + " sees A's key: " + list);
      assertNothingOfA(caller.getKey() + " GET /v1/keys", list);
    }
  }

  /** Verifies that a key B creates is B's alone: in B's list, not in A's, and the answer names nothing of A. */
  @Test
  void keyCreatedByOneTenantIsInvisibleToTheOther() {
    // WHEN B's owner creates a key
    Api.Response created = app.api().as(b.ownerToken()).post("/v1/keys", keyRequest("bravo isolated key", "predict"));

    // THEN only B sees it
    assertEquals(201, created.status(), created::toString);
    assertNothingOfA("B POST /v1/keys", created);
    String id = created.json().getString("id");
    assertTrue(ids(app.api().as(b.ownerToken()).get("/v1/keys").data()).contains(id));
    assertFalse(ids(app.api().as(a.ownerToken()).get("/v1/keys").data()).contains(id), "A sees B's new key");
    assertFalse(ids(app.api().as(a.key()).get("/v1/keys").data()).contains(id), "A's key sees B's new key");
  }

  /**
   * Verifies that B revoking A's key is a 404 indistinguishable from revoking a key that never
   * existed, and that A's key keeps working afterwards.
   */
  @Test
  void revokingAnotherTenantsKeyIsNotFoundAndHarmless() {
    for (Map.Entry<String, Api> caller : bCallers().entrySet()) {
      String unknownId = UUID.randomUUID().toString();

      // WHEN B tries to revoke A's key, and a key id nobody has
      Api.Response foreign = caller.getValue().delete("/v1/keys/" + a.keyId());
      Api.Response unknown = caller.getValue().delete("/v1/keys/" + unknownId);

      // THEN both are the same 404: B cannot even learn that A's key exists
      assertEquals(404, foreign.status(), caller.getKey() + ": " + foreign);
      assertEquals("not-found", foreign.problem());
      assertEquals(404, unknown.status(), caller.getKey() + ": " + unknown);
      assertEquals(sameShape(unknown.json(), unknownId), sameShape(foreign.json(), a.keyId()), caller.getKey());
      // The id B sent is echoed back (path, detail); nothing else of A may be in the answer.
      assertNothingOfA(caller.getKey() + " DELETE A's key", foreign.body().replace(a.keyId(), "{id}"));
    }

    // AND A's key is neither revoked nor refused
    JsonObject aKey = keysOf(app.api().as(a.ownerToken())).get(a.keyId());
    assertNull(aKey.getValue("revoked_at"), aKey::encode);
    Api.Response stillWorks = app.api().as(a.key()).get("/v1/tenant");
    assertEquals(200, stillWorks.status(), stillWorks::toString);
    assertEquals(a.id(), stillWorks.json().getString("id"));
  }

  /** Verifies that B's owner reads only B's audit events, and that B's API key (no owner rights) gets 403. */
  @Test
  void auditLogShowsOnlyOwnEvents() {
    Api.Response audit = app.api().as(b.ownerToken()).get("/v1/audit?limit=200");

    assertEquals(200, audit.status(), audit::toString);
    assertFalse(audit.data().isEmpty(), "B's own events (users created, logins, key created) should be listed");
    Set<String> targets = audit.data().stream().map(e -> ((JsonObject) e).getString("target")).collect(Collectors.toSet());
    assertTrue(targets.contains("api_key:" + b.keyId()), "B's own key creation should be in B's audit log: " + audit);
    assertTrue(targets.contains("tenant:" + b.id()), "B's creation should be in B's audit log: " + audit);
    assertNothingOfA("B owner GET /v1/audit", audit);

    Api.Response byKey = app.api().as(b.key()).get("/v1/audit");
    assertEquals(403, byKey.status(), byKey::toString);
    assertNothingOfA("B key GET /v1/audit", byKey);
  }

  private static String tenantsOnly(Api admin) {
    JsonArray tenants = admin.get("/v1/admin/tenants").data();
    tenants.forEach(t -> {
      ((JsonObject) t).remove("usage");
      ((JsonObject) t).remove("draft_invoice");
    });
    return tenants.encode();
  }

  /** Verifies that every admin endpoint refuses every kind of tenant credential with 403, and changes nothing. */
  @Test
  void adminEndpointsRefuseTenantCredentials() {
    Api admin = app.api().as(adminToken);
    String plansBefore = admin.get("/v1/admin/plans").body();
    // Usage and drafts in the listing move with B's metered calls; what must not change is the tenants themselves.
    String tenantsBefore = tenantsOnly(admin);
    String usersBefore = admin.get("/v1/admin/tenants/" + a.id() + "/users").body();
    String freePlanId = admin.get("/v1/admin/plans").data().stream().map(JsonObject.class::cast)
        .filter(p -> "free".equals(p.getString("name"))).findFirst().orElseThrow().getString("id");
    Map<String, Api> callers = Map.of(
        "B owner", app.api().as(b.ownerToken()),
        "B developer", app.api().as(b.developerToken()),
        "B viewer", app.api().as(b.viewerToken()),
        "B key", app.api().as(b.key()),
        "B key (X-API-Key)", app.api().withApiKeyHeader(b.key()),
        "A owner", app.api().as(a.ownerToken()));
    List<Function<Api, Api.Response>> calls = List.of(
        api -> api.get("/v1/admin/plans"),
        api -> api.post("/v1/admin/plans", new JsonObject().put("name", "sneaky-plan").put("base_fee", "0.00")),
        api -> api.patch("/v1/admin/plans/" + freePlanId, new JsonObject().put("base_fee", "999.00")),
        api -> api.get("/v1/admin/tenants"),
        api -> api.post("/v1/admin/tenants", new JsonObject().put("name", "sneaky-tenant")),
        api -> api.patch("/v1/admin/tenants/" + a.id(), new JsonObject().put("status", "suspended")),
        api -> api.get("/v1/admin/tenants/" + a.id() + "/users"),
        api -> api.post("/v1/admin/tenants/" + a.id() + "/users",
            new JsonObject().put("email", "intruder@example.test").put("password", "long enough password").put("role", "owner")));

    for (Map.Entry<String, Api> caller : callers.entrySet()) {
      for (int i = 0; i < calls.size(); i++) {
        Api.Response response = calls.get(i).apply(caller.getValue());
        assertEquals(403, response.status(), caller.getKey() + " admin call #" + i + ": " + response);
        assertEquals("insufficient-permission", response.problem(), caller.getKey() + " admin call #" + i);
        if (!caller.getKey().startsWith("A")) {
          assertNothingOfA(caller.getKey() + " admin call #" + i, response.body().replace(a.id(), "{id}"));
        }
      }
    }

    // Nothing changed: no plan, tenant or user was created or altered, and A is still active.
    assertEquals(plansBefore, admin.get("/v1/admin/plans").body());
    assertEquals(tenantsBefore, tenantsOnly(admin));
    assertEquals(usersBefore, admin.get("/v1/admin/tenants/" + a.id() + "/users").body());
    assertEquals(200, app.api().as(a.key()).get("/v1/tenant").status());
  }

  /** Verifies that a viewer may read the tenant but neither list, create nor revoke keys. */
  @Test
  void viewerCanReadTenantButNotManageKeys() {
    Api viewer = app.api().as(b.viewerToken());

    assertEquals(200, viewer.get("/v1/tenant").status());
    assertForbidden(viewer.post("/v1/keys", keyRequest("viewer key", "read")), "insufficient-permission");
    assertForbidden(viewer.get("/v1/keys"), "insufficient-permission");
    assertForbidden(viewer.delete("/v1/keys/" + b.keyId()), "insufficient-permission");
    assertForbidden(viewer.get("/v1/audit"), "insufficient-permission");

    assertEquals(200, app.api().as(b.key()).get("/v1/tenant").status(), "the viewer's revocation attempt must not have revoked B's key");
    assertFalse(keysOf(app.api().as(b.ownerToken())).values().stream().anyMatch(k -> "viewer key".equals(k.getString("name"))));
  }

  /** Verifies that a developer manages keys but cannot read the audit log (owners only). */
  @Test
  void developerCannotReadAuditLog() {
    Api developer = app.api().as(b.developerToken());

    assertForbidden(developer.get("/v1/audit"), "insufficient-permission");
    assertEquals(200, developer.get("/v1/keys").status());
    assertEquals(201, developer.post("/v1/keys", keyRequest("developer key", "predict")).status());
    assertEquals(200, app.api().as(b.ownerToken()).get("/v1/audit").status(), "the owner may read it");
  }

  /** Verifies that a key with only scope predict can neither read the tenant nor list or create keys. */
  @Test
  void predictOnlyKeyCannotReadTenantOrManageKeys() {
    String predictKey = createKey(b.ownerToken(), "predict only", "predict").getString("key");
    Api key = app.api().as(predictKey);

    assertForbidden(key.get("/v1/tenant"), "insufficient-permission");
    assertForbidden(key.post("/v1/keys", keyRequest("minted by predict key", "predict")), "insufficient-permission");
    assertForbidden(key.get("/v1/keys"), "insufficient-permission");
    assertForbidden(app.api().withApiKeyHeader(predictKey).get("/v1/tenant"), "insufficient-permission");
    assertFalse(keysOf(app.api().as(b.ownerToken())).values().stream().anyMatch(k -> "minted by predict key".equals(k.getString("name"))));
  }

  /** Verifies that a key with scope manage (but not train) cannot mint a key with scope train. */
  @Test
  void manageKeyCannotMintMorePowerfulKey() {
    Api manager = app.api().as(createKey(b.ownerToken(), "manager", "manage").getString("key"));

    Api.Response escalated = manager.post("/v1/keys", keyRequest("escalated", "train"));
    Api.Response mixed = manager.post("/v1/keys", keyRequest("escalated too", "manage", "train"));
    Api.Response allowed = manager.post("/v1/keys", keyRequest("same power", "manage"));

    assertForbidden(escalated, "scope-not-held");
    assertForbidden(mixed, "scope-not-held");
    assertEquals(201, allowed.status(), allowed::toString);
    Map<String, JsonObject> keys = keysOf(app.api().as(b.ownerToken()));
    assertFalse(keys.values().stream().anyMatch(k -> k.getString("name").startsWith("escalated")), "a refused key was stored: " + keys);
  }

  /** Verifies that the platform admin, who has no tenant, gets 403 on every tenant-scoped endpoint. */
  @Test
  void platformAdminHasNoTenant() {
    Api admin = app.api().as(adminToken);

    assertForbidden(admin.get("/v1/tenant"), "insufficient-permission");
    assertForbidden(admin.post("/v1/keys", keyRequest("admin key", "read")), "insufficient-permission");
    assertForbidden(admin.get("/v1/keys"), "insufficient-permission");
    assertForbidden(admin.delete("/v1/keys/" + a.keyId()), "insufficient-permission");
    assertForbidden(admin.get("/v1/audit"), "insufficient-permission");

    assertEquals(200, app.api().as(a.key()).get("/v1/tenant").status(), "the admin's revocation attempt must not have revoked A's key");
  }

  /** Verifies that a suspended tenant's key and users get 403 tenant-suspended, others are unaffected, and resuming restores access. */
  @Test
  void suspendedTenantIsRefusedUntilResumed() {
    Api admin = app.api().as(adminToken);
    try {
      // GIVEN tenant A suspended by the operator
      Api.Response suspended = admin.patch("/v1/admin/tenants/" + a.id(), new JsonObject().put("status", "suspended"));
      assertEquals(200, suspended.status(), suspended::toString);
      assertEquals("suspended", suspended.json().getString("status"));

      // THEN A's key (either header) and A's users are refused on every tenant endpoint
      for (Api aCaller : List.of(app.api().as(a.key()), app.api().withApiKeyHeader(a.key()), app.api().as(a.ownerToken()))) {
        for (Api.Response response : List.of(aCaller.get("/v1/tenant"), aCaller.get("/v1/keys"),
            aCaller.post("/v1/keys", keyRequest("while suspended", "read")))) {
          assertEquals(403, response.status(), response::toString);
          assertEquals("urn:aiaas:problem:tenant-suspended", response.json().getString("type"));
        }
      }
      Api.Response audit = app.api().as(a.ownerToken()).get("/v1/audit");
      assertEquals(403, audit.status(), audit::toString);
      assertEquals("urn:aiaas:problem:tenant-suspended", audit.json().getString("type"));

      // AND B is unaffected
      for (Api bCaller : bCallers().values()) {
        assertEquals(200, bCaller.get("/v1/tenant").status());
        assertEquals(200, bCaller.get("/v1/keys").status());
      }
    } finally {
      // WHEN A is resumed
      Api.Response resumed = admin.patch("/v1/admin/tenants/" + a.id(), new JsonObject().put("status", "active"));
      assertEquals(200, resumed.status(), resumed::toString);
      assertEquals("active", resumed.json().getString("status"));
    }

    // THEN A works again, and nothing was created while it was suspended
    assertEquals(200, app.api().as(a.key()).get("/v1/tenant").status());
    Api.Response owner = app.api().as(a.ownerToken()).get("/v1/tenant");
    assertEquals(200, owner.status(), owner::toString);
    assertEquals("active", owner.json().getString("status"));
    assertFalse(keysOf(app.api().as(a.ownerToken())).values().stream().anyMatch(k -> "while suspended".equals(k.getString("name"))));
  }

  /** Verifies that missing credentials are a 401 with WWW-Authenticate on every protected endpoint. */
  @Test
  void missingCredentialsAre401() {
    Api anonymous = app.api();
    List<Api.Response> responses = List.of(
        anonymous.get("/v1/tenant"),
        anonymous.get("/v1/keys"),
        anonymous.post("/v1/keys", keyRequest("anonymous", "read")),
        anonymous.delete("/v1/keys/" + a.keyId()),
        anonymous.get("/v1/audit"),
        anonymous.get("/v1/admin/plans"),
        anonymous.get("/v1/admin/tenants"),
        anonymous.get("/v1/admin/tenants/" + a.id() + "/users"));

    for (Api.Response response : responses) {
      assertUnauthorized(response);
      assertNothingOfA("anonymous", response.body().replace(a.id(), "{id}").replace(a.keyId(), "{id}"));
    }
    assertEquals(200, app.api().as(a.key()).get("/v1/tenant").status(), "the anonymous revocation must not have revoked A's key");
  }

  /** Verifies that unknown keys and tokens, in either header, are 401. */
  @Test
  void unknownCredentialsAre401() {
    String randomKey = "aiaas_" + UUID.randomUUID().toString().replace("-", "") + "0123456789a";
    // B's key with one character changed: same prefix, not a valid key
    String tamperedKey = b.key().substring(0, b.key().length() - 1) + (b.key().endsWith("A") ? "B" : "A");

    Map<String, Api> callers = Map.of(
        "random key (Bearer)", app.api().as(randomKey),
        "random key (X-API-Key)", app.api().withApiKeyHeader(randomKey),
        "tampered key", app.api().as(tamperedKey),
        "not a JWT", app.api().as("not-a-jwt"));
    for (Map.Entry<String, Api> caller : callers.entrySet()) {
      assertUnauthorized(caller.getKey(), caller.getValue().get("/v1/tenant"));
      assertUnauthorized(caller.getKey(), caller.getValue().get("/v1/keys"));
    }
  }

  /**
   * Verifies that an access token altered in any way is refused: another tenant in the claims, a
   * changed signature character, no signature, {@code alg: none}, and a signature with a trailing
   * extra character (an ES256 signature is exactly 64 octets, RFC 7518 section 3.4).
   */
  @Test
  void alteredAccessTokensAre401() {
    String[] parts = b.ownerToken().split("\\.");
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    String otherTenant = b64.encodeToString(claims.copy().put("tid", a.id()).encode().getBytes(StandardCharsets.UTF_8));
    String noneHeader = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    char middle = parts[2].charAt(parts[2].length() / 2);
    String changedSignature = parts[2].substring(0, parts[2].length() / 2) + (middle == 'A' ? 'B' : 'A')
        + parts[2].substring(parts[2].length() / 2 + 1);
    Map<String, String> altered = Map.of(
        "claims naming tenant A", parts[0] + "." + otherTenant + "." + parts[2],
        "one signature character changed", parts[0] + "." + parts[1] + "." + changedSignature,
        "signature removed", parts[0] + "." + parts[1] + ".",
        "alg none", noneHeader + "." + parts[1] + ".",
        "signature with a character appended", b.ownerToken() + "x");

    List<String> accepted = new ArrayList<>();
    for (Map.Entry<String, String> token : altered.entrySet()) {
      Api.Response response = app.api().as(token.getValue()).get("/v1/tenant");
      if (response.status() != 401) {
        accepted.add(token.getKey() + " -> " + response.status());
      } else {
        assertUnauthorized(token.getKey(), response);
      }
    }
    assertEquals(List.of(), accepted, "altered access tokens that were not refused with 401");
  }

  // --- helpers ---

  /** B's credentials of every kind that may read B's tenant and manage keys. */
  private static Map<String, Api> bCallers() {
    return Map.of(
        "B owner", app.api().as(b.ownerToken()),
        "B key (Bearer)", app.api().as(b.key()),
        "B key (X-API-Key)", app.api().withApiKeyHeader(b.key()));
  }

  private static void assertNothingOfA(String what, Api.Response response) {
    assertNothingOfA(what, response.body());
  }

  private static void assertNothingOfA(String what, String body) {
    assertNotNull(body, what);
    for (String identifying : aSecretsAndIds) {
      assertFalse(body.contains(identifying), what + ": the response reveals '" + identifying + "' of tenant A: " + body);
    }
  }

  /** A problem document with the one id it was about blanked out, for comparing two 404s. */
  private static JsonObject sameShape(JsonObject problem, String id) {
    JsonObject shape = problem.copy();
    shape.remove("request_id");
    shape.put("detail", shape.getString("detail").replace(id, "{id}"));
    shape.put("instance", shape.getString("instance").replace(id, "{id}"));
    return shape;
  }

  private static void assertForbidden(Api.Response response, String slug) {
    assertEquals(403, response.status(), response::toString);
    assertEquals(slug, response.problem(), response::toString);
  }

  private static void assertUnauthorized(Api.Response response) {
    assertUnauthorized("anonymous", response);
  }

  private static void assertUnauthorized(String who, Api.Response response) {
    assertEquals(401, response.status(), () -> who + ": " + response);
    assertEquals("unauthorized", response.problem(), response::toString);
    String challenge = response.header("WWW-Authenticate");
    assertNotNull(challenge, "a 401 must carry WWW-Authenticate: " + response);
    assertTrue(challenge.startsWith("Bearer"), challenge);
  }

  private static JsonObject keyRequest(String name, String... scopes) {
    return new JsonObject().put("name", name).put("scopes", new JsonArray(List.of((Object[]) scopes)));
  }

  private static JsonObject createKey(String token, String name, String... scopes) {
    Api.Response created = app.api().as(token).post("/v1/keys", keyRequest(name, scopes));
    assertEquals(201, created.status(), created::toString);
    return created.json();
  }

  private static Map<String, JsonObject> keysOf(Api api) {
    Api.Response list = api.get("/v1/keys");
    assertEquals(200, list.status(), list::toString);
    return list.data().stream().map(JsonObject.class::cast).collect(Collectors.toMap(k -> k.getString("id"), k -> k));
  }

  private static Set<String> ids(JsonArray data) {
    return data.stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
  }
}

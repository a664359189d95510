package dev.aiaas.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform operator's API (plans, tenants, users) and the audit trail it leaves, against the
 * real application; every rejected request is also checked to have changed nothing (invariant 5).
 */
class AdminApiIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final String PASSWORD = "a password of some length";

  private static Api admin;

  @BeforeAll
  static void signIn() {
    admin = app.api().as(app.adminToken());
  }

  // --- plans ---

  /** Verifies that a plan in the shape of DESIGN.md is created, echoed field by field (money as strings) and listed. */
  @Test
  void planIsCreatedEchoedAndListed() {
    String name = unique("pro");

    Api.Response created = admin.post("/v1/admin/plans", designPlan(name));

    assertEquals(201, created.status(), created::toString);
    JsonObject plan = created.json();
    assertTrue(plan.getString("id").matches("[0-9a-f-]{36}"), plan::encode);
    assertEquals(name, plan.getString("name"));
    assertEquals("USD", plan.getString("currency"));
    assertDecimal("49.00", plan.getValue("base_fee"));
    assertEquals(new JsonObject().put("requests_per_second", 50).put("burst", 100), plan.getJsonObject("rate_limit"));
    JsonObject limits = plan.getJsonObject("limits");
    assertTrue(limits.containsKey("api_calls") && limits.getValue("api_calls") == null, "api_calls is unlimited: " + limits);
    assertEquals(100000L, limits.getLong("predictions"));
    assertEquals(36000L, limits.getLong("training_seconds"));
    assertEquals(10737418240L, limits.getLong("storage_bytes"));
    assertEquals(2L, limits.getLong("concurrent_jobs"));
    assertEquals(5L, limits.getLong("deployed_models"));
    assertEquals(104857600L, limits.getLong("upload_bytes"));
    assertEquals(new JsonArray().add("api_calls"), plan.getJsonArray("soft_limits"));
    JsonObject predictions = plan.getJsonObject("prices").getJsonObject("predictions");
    assertEquals(1000L, predictions.getLong("included"));
    JsonArray tiers = predictions.getJsonArray("tiers");
    assertEquals(2, tiers.size(), tiers::encode);
    assertEquals(10000L, tiers.getJsonObject(0).getLong("up_to"));
    assertEquals("0.0010", tiers.getJsonObject(0).getValue("unit_price"));
    assertTrue(tiers.getJsonObject(1).containsKey("up_to") && tiers.getJsonObject(1).getValue("up_to") == null, tiers::encode);
    assertEquals("0.0008", tiers.getJsonObject(1).getValue("unit_price"));
    assertEquals("0.0020", plan.getJsonObject("prices").getJsonObject("training_seconds").getValue("unit_price"));
    assertEquals("0.10", plan.getJsonObject("prices").getJsonObject("storage_gb_months").getValue("unit_price"));
    assertNotNull(plan.getString("created_at"));

    assertEquals(Optional.of(plan), plan(plan.getString("id")), "the list shows the plan as created");
  }

  /** Verifies that PATCH changes the fields it names and keeps every other field as it was. */
  @Test
  void patchChangesOneFieldAndKeepsTheOthers() {
    JsonObject before = createPlan(unique("patchme"));

    Api.Response patched = admin.patch("/v1/admin/plans/" + before.getString("id"), new JsonObject().put("base_fee", "59.50"));

    assertEquals(200, patched.status(), patched::toString);
    assertDecimal("59.50", patched.json().getValue("base_fee"));
    assertEquals(withoutVolatile(before).put("base_fee", null), withoutVolatile(patched.json()).put("base_fee", null));
    assertEquals(Optional.of(patched.json()), plan(before.getString("id")), "the list shows the patched plan");

    // a second, nested field: the rate limit changes, the new base fee and the prices stay
    Api.Response again = admin.patch("/v1/admin/plans/" + before.getString("id"),
        new JsonObject().put("rate_limit", new JsonObject().put("requests_per_second", 7).put("burst", 14)));
    assertEquals(200, again.status(), again::toString);
    assertEquals(new JsonObject().put("requests_per_second", 7).put("burst", 14), again.json().getJsonObject("rate_limit"));
    assertEquals(withoutVolatile(patched.json()).put("rate_limit", null), withoutVolatile(again.json()).put("rate_limit", null));
  }

  /** Verifies that a second plan with a taken name, by create or by rename, is a 409 that changes nothing. */
  @Test
  void duplicatePlanNameIsConflict() {
    JsonObject first = createPlan(unique("dup"));
    JsonObject second = createPlan(unique("dup"));

    assertUnchanged(this::plansBody, () -> {
      Api.Response duplicate = admin.post("/v1/admin/plans", designPlan(first.getString("name")).put("base_fee", "1.00"));
      assertEquals(409, duplicate.status(), duplicate::toString);
      assertEquals("plan-exists", duplicate.problem());
      Api.Response rename = admin.patch("/v1/admin/plans/" + second.getString("id"), new JsonObject().put("name", first.getString("name")));
      assertEquals(409, rename.status(), rename::toString);
      assertEquals("plan-exists", rename.problem());
    });
  }

  /** Verifies that invalid plan bodies are 400s naming the offending field, and create nothing. */
  @Test
  void invalidPlanBodiesAreRejectedAndChangeNothing() {
    JsonObject nonAscending = designPlan(unique("bad"));
    nonAscending.getJsonObject("prices").getJsonObject("predictions").put("tiers", new JsonArray()
        .add(tier(10000L, "0.0010")).add(tier(5000L, "0.0009")).add(tier(null, "0.0008")));
    JsonObject unboundedFirst = designPlan(unique("bad"));
    unboundedFirst.getJsonObject("prices").getJsonObject("predictions").put("tiers", new JsonArray()
        .add(tier(null, "0.0010")).add(tier(20000L, "0.0008")));
    JsonObject belowIncluded = designPlan(unique("bad"));
    belowIncluded.getJsonObject("prices").getJsonObject("predictions").put("tiers", new JsonArray()
        .add(tier(500L, "0.0010")).add(tier(null, "0.0008")));
    Map<String, JsonObject> cases = new LinkedHashMap<>();
    cases.put("colour", designPlan(unique("bad")).put("colour", "red"));
    cases.put("base_fee", designPlan(unique("bad")).put("base_fee", 49.0));
    cases.put("limits", designPlan(unique("bad")).put("limits", new JsonObject().put("gpus", 4)));
    cases.put("prices.predictions.tiers[1].up_to", nonAscending);
    cases.put("prices.predictions.tiers[0].up_to", unboundedFirst);
    cases.put("prices.predictions.tiers[0].up_to (not above included)", belowIncluded);
    cases.put("soft_limits", designPlan(unique("bad")).put("soft_limits", new JsonArray().add("deployed_models")));
    cases.put("soft_limits (unknown metric)", designPlan(unique("bad")).put("soft_limits", new JsonArray().add("gpu_hours")));
    cases.put("name", designPlan("Not A Valid Name"));
    cases.put("rate_limit.requests_per_second", designPlan(unique("bad")).put("rate_limit", new JsonObject().put("requests_per_second", 0)));

    for (Map.Entry<String, JsonObject> bad : cases.entrySet()) {
      String field = bad.getKey().replaceAll(" \\(.*\\)$", "");
      assertUnchanged(this::plansBody, () -> {
        Api.Response response = admin.post("/v1/admin/plans", bad.getValue());
        assertValidationError(bad.getKey(), response, field);
      });
    }

    // the same checks hold for PATCH, and the plan keeps its values
    JsonObject existing = createPlan(unique("keep"));
    for (Map.Entry<String, JsonObject> bad : cases.entrySet()) {
      String field = bad.getKey().replaceAll(" \\(.*\\)$", "");
      JsonObject patch = bad.getValue().copy();
      patch.remove("name");
      if (field.equals("name")) {
        patch = new JsonObject().put("name", "Not A Valid Name");
      }
      JsonObject body = patch;
      assertUnchanged(this::plansBody, () -> assertValidationError("PATCH " + bad.getKey(),
          admin.patch("/v1/admin/plans/" + existing.getString("id"), body), field));
    }

    // and malformed JSON is a 400 too
    assertUnchanged(this::plansBody, () -> {
      Api.Response response = admin.postRaw("/v1/admin/plans", "application/json", "{\"name\": \"half");
      assertEquals(400, response.status(), response::toString);
    });
  }

  /** Verifies that PATCH of a plan that does not exist is a 404, and a malformed plan id a 400 (not a 500). */
  @Test
  void unknownOrMalformedPlanIdIsRefused() {
    assertUnchanged(this::plansBody, () -> {
      Api.Response unknown = admin.patch("/v1/admin/plans/" + UUID.randomUUID(), new JsonObject().put("base_fee", "1.00"));
      assertEquals(404, unknown.status(), unknown::toString);
      assertEquals("not-found", unknown.problem());

      Api.Response malformed = admin.patch("/v1/admin/plans/not-a-uuid", new JsonObject().put("base_fee", "1.00"));
      assertEquals(400, malformed.status(), malformed::toString);
    });
  }

  /**
   * Verifies that a malformed path or query parameter is a 400 whose {@code errors} name that
   * parameter (DESIGN.md section 3: validation errors name the offending field), not the body,
   * which was valid or absent.
   */
  @Test
  void invalidParametersAreNamedInTheErrors() {
    String tenantId = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("params"))).json().getString("id");
    String owner = unique("params-owner") + "@example.test";
    assertEquals(201, admin.post("/v1/admin/tenants/" + tenantId + "/users", user(owner, "owner")).status());
    Api ownerApi = app.api().as(app.login(owner, PASSWORD));
    List<Map.Entry<String, Supplier<Api.Response>>> cases = List.of(
        Map.entry("id", () -> admin.patch("/v1/admin/plans/not-a-uuid", new JsonObject().put("base_fee", "1.00"))),
        Map.entry("id", () -> admin.patch("/v1/admin/tenants/not-a-uuid", new JsonObject().put("status", "active"))),
        Map.entry("id", () -> admin.get("/v1/admin/tenants/not-a-uuid/users")),
        Map.entry("id", () -> admin.post("/v1/admin/tenants/not-a-uuid/users", user(unique("p") + "@example.test", "viewer"))),
        Map.entry("before", () -> ownerApi.get("/v1/audit?before=abc")),
        Map.entry("limit", () -> ownerApi.get("/v1/audit?limit=0")));

    List<String> misnamed = new ArrayList<>();
    for (Map.Entry<String, Supplier<Api.Response>> c : cases) {
      String parameter = c.getKey();
      Api.Response response = c.getValue().get();
      assertEquals(400, response.status(), response::toString);
      List<String> fields = fields(response);
      boolean named = fields.stream().anyMatch(f -> f.equals(parameter) || f.endsWith("." + parameter));
      if (!named || fields.contains("body")) {
        misnamed.add(response.json().getString("instance") + " names " + fields + " instead of '" + parameter + "'");
      }
    }
    assertEquals(List.of(), misnamed, "parameter errors that do not name the parameter");
  }

  // --- tenants ---

  /** Verifies that a tenant is created on the free plan by default or on a named plan, and listed. */
  @Test
  void tenantsAreCreatedOnDefaultOrNamedPlanAndListed() {
    JsonObject plan = createPlan(unique("team"));

    Api.Response onFree = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("default-plan")));
    Api.Response onNamed = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("named-plan")).put("plan", plan.getString("name")));

    assertEquals(201, onFree.status(), onFree::toString);
    assertEquals("free", onFree.json().getString("plan"));
    assertEquals("active", onFree.json().getString("status"));
    assertTrue(onFree.json().getString("id").matches("[0-9a-f-]{36}"));
    assertEquals(201, onNamed.status(), onNamed::toString);
    assertEquals(plan.getString("name"), onNamed.json().getString("plan"));
    assertEquals(Optional.of(onFree.json()), tenant(onFree.json().getString("id")));
    assertEquals(Optional.of(onNamed.json()), tenant(onNamed.json().getString("id")));
  }

  /** Verifies that an unknown plan (400), a taken name (409) and a malformed body (400) create no tenant. */
  @Test
  void invalidTenantCreationsChangeNothing() {
    String taken = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("taken"))).json().getString("name");

    assertUnchanged(this::tenantsBody, () -> {
      Api.Response unknownPlan = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("t")).put("plan", "no-such-plan"));
      assertEquals(400, unknownPlan.status(), unknownPlan::toString);
      assertTrue(fields(unknownPlan).contains("plan"), unknownPlan::toString);

      Api.Response duplicate = admin.post("/v1/admin/tenants", new JsonObject().put("name", taken));
      assertEquals(409, duplicate.status(), duplicate::toString);
      assertEquals("tenant-exists", duplicate.problem());

      assertValidationError("empty name", admin.post("/v1/admin/tenants", new JsonObject().put("name", "")), "name");
      assertValidationError("unknown field", admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("t")).put("tier", "gold")),
          "tier");
      assertValidationError("name of wrong type", admin.post("/v1/admin/tenants", new JsonObject().put("name", 42)), "name");
    });
  }

  /**
   * Verifies that PATCH changes a tenant's plan and status, that the tenant's owner sees the new
   * plan at once, and that an invalid status, an unknown plan or an unknown tenant change nothing.
   */
  @Test
  void tenantPlanAndStatusArePatched() {
    JsonObject plan = createPlan(unique("upgrade"));
    String id = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("patched"))).json().getString("id");
    String owner = unique("owner") + "@example.test";
    assertEquals(201, admin.post("/v1/admin/tenants/" + id + "/users", user(owner, "owner")).status());
    Api ownerApi = app.api().as(app.login(owner, PASSWORD));
    assertEquals("free", ownerApi.get("/v1/tenant").json().getJsonObject("plan").getString("name"));

    // WHEN the operator moves the tenant to another plan
    Api.Response moved = admin.patch("/v1/admin/tenants/" + id, new JsonObject().put("plan", plan.getString("name")));

    // THEN the answer, the list and the owner's own view all show it
    assertEquals(200, moved.status(), moved::toString);
    assertEquals(plan.getString("name"), moved.json().getString("plan"));
    assertEquals("active", moved.json().getString("status"));
    assertEquals(Optional.of(moved.json()), tenant(id));
    JsonObject own = ownerApi.get("/v1/tenant").json();
    assertEquals(plan.getString("name"), own.getJsonObject("plan").getString("name"));
    assertEquals(plan.getString("id"), own.getJsonObject("plan").getString("id"));
    assertEquals(100000L, own.getJsonObject("plan").getJsonObject("limits").getLong("predictions"));

    // a change of the plan itself reaches the tenants on it
    Api.Response planChanged = admin.patch("/v1/admin/plans/" + plan.getString("id"),
        new JsonObject().put("limits", new JsonObject().put("predictions", 123)));
    assertEquals(200, planChanged.status(), planChanged::toString);
    assertEquals(123L, ownerApi.get("/v1/tenant").json().getJsonObject("plan").getJsonObject("limits").getLong("predictions"));
    assertEquals(36000L, ownerApi.get("/v1/tenant").json().getJsonObject("plan").getJsonObject("limits").getLong("training_seconds"),
        "the other limits stay");

    // suspend and resume
    Api.Response suspended = admin.patch("/v1/admin/tenants/" + id, new JsonObject().put("status", "suspended"));
    assertEquals(200, suspended.status(), suspended::toString);
    assertEquals("suspended", suspended.json().getString("status"));
    assertEquals(plan.getString("name"), suspended.json().getString("plan"), "changing the status keeps the plan");
    assertEquals("tenant-suspended", ownerApi.get("/v1/tenant").problem());
    Api.Response resumed = admin.patch("/v1/admin/tenants/" + id, new JsonObject().put("status", "active"));
    assertEquals(200, resumed.status(), resumed::toString);
    assertEquals("active", resumed.json().getString("status"));
    assertEquals(200, ownerApi.get("/v1/tenant").status());

    // invalid changes change nothing
    assertUnchanged(this::tenantsBody, () -> {
      assertValidationError("invalid status", admin.patch("/v1/admin/tenants/" + id, new JsonObject().put("status", "frozen")), "status");
      assertValidationError("empty patch", admin.patch("/v1/admin/tenants/" + id, new JsonObject()), "body");
      assertValidationError("unknown field", admin.patch("/v1/admin/tenants/" + id, new JsonObject().put("name", "renamed")), "name");

      Api.Response unknownPlan = admin.patch("/v1/admin/tenants/" + id, new JsonObject().put("plan", "no-such-plan").put("status", "suspended"));
      assertEquals(400, unknownPlan.status(), unknownPlan::toString);
      assertTrue(fields(unknownPlan).contains("plan"), unknownPlan::toString);

      Api.Response unknownTenant = admin.patch("/v1/admin/tenants/" + UUID.randomUUID(), new JsonObject().put("status", "suspended"));
      assertEquals(404, unknownTenant.status(), unknownTenant::toString);
      assertEquals("not-found", unknownTenant.problem());

      Api.Response malformedId = admin.patch("/v1/admin/tenants/not-a-uuid", new JsonObject().put("status", "suspended"));
      assertEquals(400, malformedId.status(), malformedId::toString);
    });
    assertEquals(200, ownerApi.get("/v1/tenant").status(), "the refused suspension did not happen");
  }

  // --- users ---

  /** Verifies that users of each role are created and listed, and that refused users change nothing. */
  @Test
  void usersAreCreatedListedAndValidated() {
    String tenantId = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("users"))).json().getString("id");
    String prefix = unique("u");
    Map<String, String> roles = Map.of(prefix + "-owner@example.test", "owner", prefix + "-dev@example.test", "developer",
        prefix + "-viewer@example.test", "viewer");

    for (Map.Entry<String, String> entry : roles.entrySet()) {
      Api.Response created = admin.post("/v1/admin/tenants/" + tenantId + "/users", user(entry.getKey(), entry.getValue()));
      assertEquals(201, created.status(), created::toString);
      assertEquals(entry.getKey(), created.json().getString("email"));
      assertEquals(entry.getValue(), created.json().getString("role"));
      assertEquals(tenantId, created.json().getString("tenant_id"));
      assertTrue(created.json().getString("id").matches("[0-9a-f-]{36}"));
      assertFalse(created.body().contains(PASSWORD), "the answer must not echo the password");
    }

    Api.Response list = admin.get("/v1/admin/tenants/" + tenantId + "/users");
    assertEquals(200, list.status(), list::toString);
    Map<String, String> listed = list.data().stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(u -> u.getString("email"), u -> u.getString("role")));
    assertEquals(roles, listed);
    assertFalse(list.body().contains("pbkdf2") || list.body().contains(PASSWORD), "the list must not show passwords or hashes");

    String usersPath = "/v1/admin/tenants/" + tenantId + "/users";
    Supplier<String> users = () -> admin.get(usersPath).body();
    String ownerEmail = prefix + "-owner@example.test";
    assertUnchanged(users, () -> {
      Api.Response duplicate = admin.post(usersPath, user(ownerEmail.toUpperCase(Locale.ROOT), "viewer"));
      assertEquals(409, duplicate.status(), duplicate::toString);
      assertEquals("user-exists", duplicate.problem());
      assertValidationError("invalid role", admin.post(usersPath, user(prefix + "-x@example.test", "admin")), "role");
      assertValidationError("short password", admin.post(usersPath, user(prefix + "-y@example.test", "viewer").put("password", "123456789")),
          "password");
      assertValidationError("invalid email", admin.post(usersPath, user("not-an-email", "viewer")), "email");
      assertValidationError("missing role", admin.post(usersPath, new JsonObject().put("email", prefix + "-z@example.test")
          .put("password", PASSWORD)), "role");
    });

    Api.Response unknownTenant = admin.post("/v1/admin/tenants/" + UUID.randomUUID() + "/users", user(prefix + "-w@example.test", "viewer"));
    assertEquals(404, unknownTenant.status(), unknownTenant::toString);
    assertEquals(404, admin.get("/v1/admin/tenants/" + UUID.randomUUID() + "/users").status());
    assertEquals(400, admin.get("/v1/admin/tenants/not-a-uuid/users").status());
    Api.Response afterUnknownTenant = admin.post(usersPath, user(prefix + "-w@example.test", "viewer"));
    assertEquals(201, afterUnknownTenant.status(), "the user refused for an unknown tenant must not exist: " + afterUnknownTenant);
  }

  // --- audit ---

  /**
   * Verifies that the tenant owner's audit log records the operator's and the tenant's actions
   * (user and tenant changes, logins that succeeded and failed, keys created and revoked), newest
   * first, and pages through them with {@code limit} and {@code before} without repeats.
   */
  @Test
  void auditLogRecordsOperationsAndPages() {
    // GIVEN a tenant set up, changed and used
    JsonObject plan = createPlan(unique("audited"));
    String tenantId = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique("audited"))).json().getString("id");
    String owner = unique("audit-owner") + "@example.test";
    String developer = unique("audit-dev") + "@example.test";
    String ownerId = admin.post("/v1/admin/tenants/" + tenantId + "/users", user(owner, "owner")).json().getString("id");
    assertEquals(201, admin.post("/v1/admin/tenants/" + tenantId + "/users", user(developer, "developer")).status());
    assertEquals(200, admin.patch("/v1/admin/tenants/" + tenantId, new JsonObject().put("plan", plan.getString("name"))).status());
    // refused operations leave no trace (checked below: exactly one event of each)
    assertEquals(400, admin.patch("/v1/admin/tenants/" + tenantId, new JsonObject().put("plan", "no-such-plan")).status());
    assertEquals(409, admin.post("/v1/admin/tenants/" + tenantId + "/users", user(owner.toUpperCase(Locale.ROOT), "viewer")).status());
    String wrongPassword = "wrong-password-" + UUID.randomUUID();
    Api.Response failedLogin = app.api().post("/v1/auth/login", new JsonObject().put("email", owner).put("password", wrongPassword));
    assertEquals(401, failedLogin.status(), failedLogin::toString);
    Api ownerApi = app.api().as(app.login(owner, PASSWORD));
    Api.Response key = ownerApi.post("/v1/keys", new JsonObject().put("name", "audited key").put("scopes", new JsonArray().add("read")));
    assertEquals(201, key.status(), key::toString);
    String keyId = key.json().getString("id");
    assertEquals(204, ownerApi.delete("/v1/keys/" + keyId).status());

    // WHEN the owner reads the audit log
    Api.Response page = ownerApi.get("/v1/audit?limit=200");

    // THEN every action is there, newest first
    assertEquals(200, page.status(), page::toString);
    List<JsonObject> events = page.data().stream().map(JsonObject.class::cast).toList();
    assertNull(page.json().getValue("next_before"), "everything fits on one page");
    assertStrictlyDescending(events.stream().map(e -> e.getLong("id")).toList());
    assertEquals("api_key.revoked", events.get(0).getString("action"), "the newest event comes first");

    JsonObject tenantUpdated = only(events, "tenant.updated", e -> true);
    assertEquals(plan.getString("name"), tenantUpdated.getJsonObject("details").getString("plan"));
    assertEquals("free", tenantUpdated.getJsonObject("details").getString("previous_plan"));
    assertEquals("platform_admin", tenantUpdated.getString("actor_type"));
    only(events, "tenant.created", e -> ("tenant:" + tenantId).equals(e.getString("target")));
    JsonObject ownerCreated = only(events, "user.created", e -> owner.equals(e.getJsonObject("details").getString("email")));
    assertEquals("user:" + ownerId, ownerCreated.getString("target"));
    assertEquals("owner", ownerCreated.getJsonObject("details").getString("role"));
    only(events, "user.created", e -> developer.equals(e.getJsonObject("details").getString("email")));
    JsonObject success = only(events, "login", e -> "success".equals(e.getJsonObject("details").getString("outcome")));
    assertEquals(owner, success.getJsonObject("details").getString("email"));
    assertEquals(ownerId, success.getString("actor_id"));
    JsonObject failure = only(events, "login", e -> "failure".equals(e.getJsonObject("details").getString("outcome")));
    assertEquals(owner, failure.getJsonObject("details").getString("email"));
    assertTrue(failure.getLong("id") < success.getLong("id"), "the failed login came before the successful one");
    only(events, "api_key.created", e -> ("api_key:" + keyId).equals(e.getString("target")));
    only(events, "api_key.revoked", e -> ("api_key:" + keyId).equals(e.getString("target")));
    assertFalse(page.body().contains(wrongPassword), "the audit log must not keep a mistyped password");
    assertFalse(page.body().contains(PASSWORD), "the audit log must not keep a password");
    assertFalse(page.body().contains(key.json().getString("key")), "the audit log must not keep a key's secret");

    // AND paging one by one walks the same events, newest first, without repeats
    List<Long> walked = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    String path = "/v1/audit?limit=1";
    for (int pages = 0; pages <= events.size() + 1; pages++) {
      Api.Response one = ownerApi.get(path);
      assertEquals(200, one.status(), one::toString);
      for (Object e : one.data()) {
        long id = ((JsonObject) e).getLong("id");
        assertTrue(seen.add(id), "event " + id + " was listed twice");
        walked.add(id);
      }
      Object next = one.json().getValue("next_before");
      if (next == null) {
        break;
      }
      assertEquals(1, one.data().size(), "a page with a continuation is full");
      path = "/v1/audit?limit=1&before=" + next;
    }
    assertEquals(events.stream().map(e -> e.getLong("id")).toList(), walked, "paging by one walks the whole log in order");

    // and bad paging parameters are 400s
    assertEquals(400, ownerApi.get("/v1/audit?limit=0").status());
    assertEquals(400, ownerApi.get("/v1/audit?limit=201").status());
    assertEquals(400, ownerApi.get("/v1/audit?before=abc").status());
  }

  // --- helpers ---

  private static JsonObject designPlan(String name) {
    return new JsonObject("""
        {"name": "%s", "currency": "USD", "base_fee": "49.00",
         "rate_limit": {"requests_per_second": 50, "burst": 100},
         "limits": {"api_calls": null, "predictions": 100000, "training_seconds": 36000,
                    "storage_bytes": 10737418240, "concurrent_jobs": 2, "deployed_models": 5,
                    "upload_bytes": 104857600},
         "soft_limits": ["api_calls"],
         "prices": {"predictions": {"included": 1000, "tiers": [{"up_to": 10000, "unit_price": "0.0010"},
                                                                {"up_to": null, "unit_price": "0.0008"}]},
                    "training_seconds": {"unit_price": "0.0020"}, "storage_gb_months": {"unit_price": "0.10"}}}
        """.formatted(name));
  }

  private static JsonObject tier(Long upTo, String price) {
    return new JsonObject().put("up_to", upTo).put("unit_price", price);
  }

  private static JsonObject createPlan(String name) {
    Api.Response created = admin.post("/v1/admin/plans", designPlan(name));
    assertEquals(201, created.status(), created::toString);
    return created.json();
  }

  private static JsonObject user(String email, String role) {
    return new JsonObject().put("email", email).put("password", PASSWORD).put("role", role);
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String plansBody() {
    Api.Response list = admin.get("/v1/admin/plans");
    assertEquals(200, list.status(), list::toString);
    return list.body();
  }

  /** The tenant list without this month's usage and draft (they move with time and usage; OperatorTenantsIT checks them). */
  private String tenantsBody() {
    Api.Response list = admin.get("/v1/admin/tenants");
    assertEquals(200, list.status(), list::toString);
    return new JsonArray(list.data().stream().map(t -> withoutBilling((JsonObject) t)).toList()).encode();
  }

  private static JsonObject withoutBilling(JsonObject tenant) {
    JsonObject copy = tenant.copy();
    copy.remove("usage");
    copy.remove("draft_invoice");
    return copy;
  }

  private static Optional<JsonObject> plan(String id) {
    return admin.get("/v1/admin/plans").data().stream().map(JsonObject.class::cast).filter(p -> id.equals(p.getString("id"))).findFirst();
  }

  private static Optional<JsonObject> tenant(String id) {
    return admin.get("/v1/admin/tenants").data().stream().map(JsonObject.class::cast).filter(t -> id.equals(t.getString("id"))).findFirst()
        .map(AdminApiIT::withoutBilling);
  }

  /** A plan without the fields a PATCH is expected to change anyway. */
  private static JsonObject withoutVolatile(JsonObject plan) {
    JsonObject copy = plan.copy();
    copy.remove("updated_at");
    return copy;
  }

  /** Runs {@code action} (which makes refused requests) and checks that {@code state} reads the same after it. */
  private static void assertUnchanged(Supplier<String> state, Runnable action) {
    String before = state.get();
    action.run();
    assertEquals(before, state.get(), "a refused request changed the state");
  }

  private static List<String> fields(Api.Response response) {
    JsonArray errors = response.json().getJsonArray("errors");
    return errors == null ? List.of() : errors.stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }

  /** A 400 whose {@code errors} name {@code field} (or a field below it). */
  private static void assertValidationError(String what, Api.Response response, String field) {
    assertEquals(400, response.status(), () -> what + ": " + response);
    List<String> fields = fields(response);
    assertTrue(fields.stream().anyMatch(f -> f.equals(field) || f.startsWith(field + ".") || f.startsWith(field + "[")),
        () -> what + ": the errors should name '" + field + "': " + response);
  }

  private static void assertDecimal(String expected, Object actual) {
    assertTrue(actual instanceof String, "money must be a decimal string, got " + actual);
    assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal((String) actual)), expected + " vs " + actual);
  }

  private static void assertStrictlyDescending(List<Long> ids) {
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i) < ids.get(i - 1), "events are not newest first: " + ids);
    }
  }

  /** The one event with {@code action} matching {@code which}. */
  private static JsonObject only(List<JsonObject> events, String action, Predicate<JsonObject> which) {
    List<JsonObject> found = events.stream().filter(e -> action.equals(e.getString("action"))).filter(which).toList();
    assertEquals(1, found.size(), () -> "expected exactly one matching '" + action + "' event in " + events);
    assertNotNull(found.get(0).getString("created_at"));
    return found.get(0);
  }
}

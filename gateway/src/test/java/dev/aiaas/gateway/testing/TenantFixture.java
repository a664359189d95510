package dev.aiaas.gateway.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A tenant set up through the admin API as an operator would: the tenant, an owner, a developer,
 * a viewer, their access tokens and one API key with every scope.
 */
public record TenantFixture(String id, String name, String ownerEmail, String ownerToken, String developerToken, String viewerToken,
    String keyId, String key) {

  public static final String PASSWORD = "correct horse battery staple";

  /** A plan without rate limit or quotas, so functional tests are not throttled by accident. */
  public static final String UNLIMITED = "unlimited";

  /** A tenant on the {@link #UNLIMITED} plan. */
  public static TenantFixture create(RunningPlatform app, String name) {
    ensureUnlimitedPlan(app.api().as(app.adminToken()));
    return create(app, name, UNLIMITED);
  }

  /** Creates the unlimited plan unless it exists. */
  public static void ensureUnlimitedPlan(Api admin) {
    Api.Response created = admin.post("/v1/admin/plans", new JsonObject().put("name", UNLIMITED));
    if (created.status() != 201 && created.status() != 409) {
      throw new AssertionError("cannot create the unlimited plan: " + created);
    }
  }

  /** Creates a tenant named {@code name-<random>} on {@code plan}. */
  public static TenantFixture create(RunningPlatform app, String name, String plan) {
    return create(app.api(), app.adminToken(), name, plan);
  }

  /** The same through any gateway node: {@code api} is an anonymous client of it. */
  public static TenantFixture create(Api api, String adminToken, String name, String plan) {
    Api admin = api.as(adminToken);
    if (plan.equals(UNLIMITED)) {
      ensureUnlimitedPlan(admin);
    }
    String unique = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response tenant = admin.post("/v1/admin/tenants", new JsonObject().put("name", unique).put("plan", plan));
    check(tenant, 201);
    String id = tenant.json().getString("id");
    String owner = "owner@" + unique + ".test";
    for (String[] user : new String[][] {{owner, "owner"}, {"dev@" + unique + ".test", "developer"}, {"viewer@" + unique + ".test", "viewer"}}) {
      check(admin.post("/v1/admin/tenants/" + id + "/users",
          new JsonObject().put("email", user[0]).put("password", PASSWORD).put("role", user[1])), 201);
    }
    String ownerToken = api.login(owner, PASSWORD);
    Api.Response key = api.as(ownerToken).post("/v1/keys",
        new JsonObject().put("name", "all scopes").put("scopes", new JsonArray().add("predict").add("train").add("read").add("manage")));
    check(key, 201);
    return new TenantFixture(id, unique, owner, ownerToken, api.login("dev@" + unique + ".test", PASSWORD),
        api.login("viewer@" + unique + ".test", PASSWORD), key.json().getString("id"), key.json().getString("key"));
  }

  private static void check(Api.Response response, int status) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + ", got " + response);
    }
  }
}

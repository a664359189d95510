package dev.aiaas.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code 400 validation-failed} answers over HTTP: one entry per offending field, in words taken
 * from the contract, for body fields, unknown fields, nested fields, query and path parameters.
 */
class ValidationMessagesIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static Api admin;
  private static TenantFixture acme;

  @BeforeAll
  static void setUp() {
    admin = app.api().as(app.adminToken());
    acme = TenantFixture.create(app, "messages");
  }

  private static JsonArray errors(Api.Response response) {
    assertEquals(400, response.status(), response::toString);
    assertEquals("validation-failed", response.problem(), response::toString);
    return response.json().getJsonArray("errors");
  }

  private static JsonObject error(String field, String message) {
    return new JsonObject().put("field", field).put("message", message);
  }

  /** Verifies that a bad body field and an unknown field each get one entry in the project's words. */
  @Test
  void bodyFieldAndUnknownField() {
    Api.Response response = admin.post("/v1/admin/tenants/" + acme.id() + "/invoices/2026-11/adjustments",
        new JsonObject().put("amount", "ten dollars").put("reason", "goodwill").put("extra", 1));

    assertEquals(new JsonArray().add(error("amount", "must be a decimal string such as \"-10.00\"")).add(error("extra", "unknown field")),
        errors(response));
  }

  /** Verifies that a field inside a nested object is named by its path, with the schema's bounds. */
  @Test
  void nestedField() {
    Api.Response response = admin.post("/v1/admin/plans", new JsonObject().put("name", "nested-check")
        .put("rate_limit", new JsonObject().put("requests_per_second", 0)));

    assertEquals(new JsonArray().add(error("rate_limit.requests_per_second", "must be an integer between 1 and 1000000")),
        errors(response));
  }

  /** Verifies that a missing required query parameter has an entry saying what it takes. */
  @Test
  void missingQueryParameter() {
    assertEquals(new JsonArray().add(error("period", "required (YYYY-MM)")), errors(admin.get("/v1/admin/billing/export")));
  }

  /** Verifies that bad path parameters are named, with the expected form. */
  @Test
  void badPathParameters() {
    assertEquals(new JsonArray().add(error("id", "must be a UUID")), errors(admin.get("/v1/admin/tenants/not-a-uuid/users")));
    assertEquals(new JsonArray().add(error("period", "must be YYYY-MM such as \"2026-11\"")),
        errors(app.api().as(acme.ownerToken()).get("/v1/invoices/2026-13")));
  }

  /** Verifies that a query parameter outside its bounds says the bounds, and the detail repeats the entry. */
  @Test
  void queryParameterBounds() {
    Api.Response response = app.api().as(acme.ownerToken()).get("/v1/audit?limit=0");

    assertEquals(new JsonArray().add(error("limit", "must be an integer between 1 and 200")), errors(response));
    assertEquals("invalid request: limit: must be an integer between 1 and 200", response.json().getString("detail"));
  }
}

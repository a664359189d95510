package dev.aiaas.gateway.erasure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Erasing a tenant: what goes, what stays (and is pseudonymised), and who may do it. */
class TenantErasureIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /**
   * The tables whose rows of an erased tenant may stay: billing records and the audit trail, and the
   * tenant row as their tombstone. Written here on purpose, apart from the code's own list.
   */
  private static final Set<String> ALLOWED = Set.of("tenants", "usage_events", "usage_hourly", "usage_daily", "storage_samples",
      "tenant_plan_history", "invoices", "invoice_lines", "audit_log");

  private static final String PERIOD = YearMonth.now(ZoneOffset.UTC).toString();

  private static String csv() {
    Random random = new Random(3);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < 200; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%s%n", x, x > 0 ? "pos" : "neg"));
    }
    return csv.toString();
  }

  /**
   * Verifies that after erasing a suspended tenant no row of it remains in any table outside the
   * billing and audit tables (found from the catalog, foreign keys followed, so a new table cannot be
   * forgotten), that no table mentions its users' emails any more while the audit trail names them
   * by pseudonym, that its invoice still renders, that its model leaves the worker and its key and
   * sessions stop working, that another tenant's rows are untouched, and that a retry is harmless.
   */
  @Test
  void erasesEverythingButBillingAndAudit() throws Exception {
    Api admin = app.api().as(app.adminToken());
    TenantFixture acme = TenantFixture.create(app, "acme");
    TenantFixture other = TenantFixture.create(app, "other");
    Api owner = app.api().as(acme.ownerToken());
    List<String> emails = List.of(acme.ownerEmail(), "dev@" + acme.name() + ".test", "viewer@" + acme.name() + ".test");

    // GIVEN a tenant with a dataset, a trained and deployed model that served a prediction, an
    // idempotent request, a failed sign-in, alert settings, an invoice adjustment and a finished export
    String datasetId = owner.postBytes("/v1/datasets?name=line&format=csv", "text/csv", csv().getBytes(StandardCharsets.UTF_8))
        .json().getString("id");
    String jobId = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", datasetId).put("model", "churn")
        .put("task", "classification").put("label", "label").put("architecture", "linear")
        .put("hyperparameters", new JsonObject().put("epochs", 2)).put("seed", 1)).json().getString("id");
    JsonObject job = Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(),
        j -> !j.getString("state").equals("queued") && !j.getString("state").equals("running"), Duration.ofSeconds(120));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    assertEquals(200, owner.post("/v1/models/churn/deployment", new JsonObject().put("version", 1)).status());
    Api.Response predicted = app.api().as(acme.key()).post("/v1/models/churn/predict",
        new JsonObject().put("instances", new JsonArray().add(new JsonObject().put("x", 0.5))));
    assertEquals(200, predicted.status(), predicted.toString());
    assertEquals(201, owner.post("/v1/keys", new JsonObject().put("name", "ci").put("scopes", new JsonArray().add("read")), "erase-me-1")
        .status());
    assertEquals(401, app.api().post("/v1/auth/login", new JsonObject().put("email", acme.ownerEmail()).put("password", "wrong")).status());
    Api.Response alerts = owner.put("/v1/alerts", new JsonObject().put("thresholds", new JsonObject().put("predictions", 80))
        .putNull("webhook_url"));
    assertEquals(200, alerts.status(), alerts.toString());
    assertEquals(201, admin.post("/v1/admin/tenants/" + acme.id() + "/invoices/" + PERIOD + "/adjustments",
        new JsonObject().put("amount", "-1.50").put("reason", "goodwill")).status());
    String exportId = owner.post("/v1/tenant/export", new JsonObject()).json().getString("id");
    Eventually.until(() -> owner.get("/v1/tenant/exports/" + exportId).json().getString("state"), "succeeded"::equals,
        Duration.ofSeconds(60));
    String modelId;
    Map<String, Long> otherBefore;
    Map<String, Map<String, Set<String>>> owned;
    try (Catalog catalog = new Catalog(app)) {
      modelId = catalog.strings("SELECT id::text FROM models WHERE tenant_id = ?::uuid", acme.id()).get(0);
      owned = catalog.owned(acme.id());
      otherBefore = catalog.countOwned(catalog.owned(other.id()), other.id(), ALLOWED);
      assertTrue(catalog.countOwned(owned, acme.id(), ALLOWED).values().stream().mapToLong(Long::longValue).sum() > 0);
      assertEquals(1, catalog.count("SELECT count(*) FROM alert_settings WHERE tenant_id = ?::uuid", acme.id()));
    }
    Path cached = app.dataDir().resolve("model-cache").resolve(modelId + ".params");
    assertTrue(Files.exists(cached), "the worker loaded the deployed version");

    // WHEN the operator suspends and erases it
    assertEquals(200, admin.patch("/v1/admin/tenants/" + acme.id(), new JsonObject().put("status", "suspended")).status());
    Api.Response erased = admin.delete("/v1/admin/tenants/" + acme.id(), new JsonObject().put("confirm", acme.name()));

    // THEN no row of it is left outside billing and audit, whichever table it was in
    assertEquals(200, erased.status(), erased.toString());
    assertEquals("erased", erased.json().getString("status"));
    assertEquals(1, erased.json().getJsonObject("deleted").getInteger("datasets"));
    assertEquals(1, erased.json().getJsonObject("deleted").getInteger("tenant_data_keys"), "the data key is crypto-shredded");
    try (Catalog catalog = new Catalog(app)) {
      Map<String, Long> left = catalog.countOwned(owned, acme.id(), ALLOWED).entrySet().stream().filter(e -> e.getValue() > 0)
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      assertEquals(Map.of(), left, "rows of the erased tenant");
      assertEquals(0, catalog.count("SELECT count(*) FROM tenant_data_keys WHERE tenant_id = ?::uuid", acme.id()), "no data key row");
      for (String table : catalog.allTables()) {
        if (!ALLOWED.contains(table) && !table.startsWith("usage_events")) {
          assertEquals(0, catalog.count("SELECT count(*) FROM " + table + " t WHERE strpos(t::text, ?) > 0", acme.id()),
              table + " mentions the erased tenant");
        }
      }
      // AND no table holds its users' emails any more; the audit trail names them by pseudonym
      for (String email : emails) {
        assertEquals(List.of(), catalog.tablesMentioning(email), email);
      }
      assertTrue(catalog.count("SELECT count(*) FROM audit_log WHERE details::text LIKE '%erased-user-%' AND tenant_id = ?::uuid",
          acme.id()) >= 3, "the sign-ins are still audited, under pseudonyms");
      assertEquals(0, catalog.count("SELECT count(*) FROM audit_log WHERE tenant_id = ?::uuid AND actor_type IN ('user', 'api_key') AND ip IS NOT NULL",
          acme.id()));
      assertTrue(catalog.count("SELECT count(*) FROM usage_events WHERE tenant_id = ?::uuid", acme.id()) > 0, "usage is kept");
      assertEquals(0, catalog.count("SELECT bytes FROM storage_samples WHERE tenant_id = ?::uuid ORDER BY sampled_at DESC LIMIT 1", acme.id()),
          "storage is billed up to the erasure only");
      // AND the other tenant lost nothing
      assertEquals(otherBefore, catalog.countOwned(catalog.owned(other.id()), other.id(), ALLOWED));
    }

    // AND its invoice still renders, the erasure is audited, the tenant is a tombstone
    Api.Response invoice = admin.get("/v1/admin/tenants/" + acme.id() + "/invoices/" + PERIOD);
    assertEquals(200, invoice.status(), invoice.toString());
    assertTrue(invoice.body().contains("goodwill"), invoice.toString());
    JsonObject audited = admin.get("/v1/admin/audit?tenant_id=" + acme.id() + "&action=tenant.erased").data().getJsonObject(0);
    assertEquals(1, audited.getJsonObject("details").getJsonObject("deleted").getInteger("models"));
    assertEquals("tenant-erased", admin.patch("/v1/admin/tenants/" + acme.id(), new JsonObject().put("status", "active")).problem());

    // AND its model leaves the worker, its key and sessions stop working
    Eventually.until(() -> Files.exists(cached), exists -> !exists, Duration.ofSeconds(30));
    assertEquals(401, app.api().as(acme.key()).get("/v1/models").status());
    int session = app.api().as(acme.ownerToken()).get("/v1/models").status();
    assertTrue(session == 401 || session == 403, "a session of an erased tenant: " + session);
    assertEquals(200, app.api().as(other.ownerToken()).get("/v1/datasets").status());

    // WHEN the erasure is retried THEN it succeeds again with nothing left to delete
    Api.Response again = admin.delete("/v1/admin/tenants/" + acme.id(), new JsonObject().put("confirm", acme.id()));
    assertEquals(200, again.status(), again.toString());
    assertTrue(again.json().getJsonObject("deleted").stream().allMatch(e -> ((Number) e.getValue()).intValue() == 0), again.toString());
  }

  /**
   * Verifies that erasure is refused for an active tenant (409), without or with a wrong
   * confirmation (400), for an unknown tenant (404) and for anyone but the platform admin (403),
   * and that a refused erasure deletes nothing.
   */
  @Test
  void refusesUnsafeErasures() {
    Api admin = app.api().as(app.adminToken());
    TenantFixture acme = TenantFixture.create(app, "careful");
    String path = "/v1/admin/tenants/" + acme.id();

    assertEquals(403, app.api().as(acme.ownerToken()).delete(path, new JsonObject().put("confirm", acme.name())).status());
    Api.Response active = admin.delete(path, new JsonObject().put("confirm", acme.name()));
    assertEquals(409, active.status(), active.toString());
    assertEquals("tenant-not-suspended", active.problem());

    assertEquals(200, admin.patch(path, new JsonObject().put("status", "suspended")).status());
    Api.Response wrong = admin.delete(path, new JsonObject().put("confirm", "someone-else"));
    assertEquals(400, wrong.status(), wrong.toString());
    assertEquals("confirmation-mismatch", wrong.problem());
    Api.Response missing = admin.delete(path, new JsonObject());
    assertEquals(400, missing.status(), missing.toString());
    assertEquals(400, admin.delete(path).status());
    assertEquals(404, admin.delete("/v1/admin/tenants/" + UUID.randomUUID(), new JsonObject().put("confirm", "x")).status());

    // THEN the tenant and its users are still there
    assertEquals(3, admin.get(path + "/users").data().size());
  }
}

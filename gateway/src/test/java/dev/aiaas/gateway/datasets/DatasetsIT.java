package dev.aiaas.gateway.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dataset uploads: streamed storage, inferred schema, precise errors, limits, isolation. */
class DatasetsIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;
  private static Api owner;

  @BeforeAll
  static void tenant() {
    acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
  }

  private static Api.Response upload(Api api, String name, String csv) {
    return api.postBytes("/v1/datasets?name=" + name + "&format=csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
  }

  /** Verifies that a CSV is stored with its inferred schema, missing values, category counts and first rows (numbers as numbers). */
  @Test
  void uploadInfersSchema() {
    String csv = "age,plan,churned\n42,pro,yes\n31,free,no\n,free,no\n55,\"pro, annual\",yes\n";

    Api.Response created = upload(owner, "churn", csv);

    assertEquals(201, created.status(), created.toString());
    JsonObject dataset = created.json();
    assertEquals(4, dataset.getInteger("rows"));
    assertEquals(csv.length(), dataset.getLong("bytes"));
    JsonArray schema = dataset.getJsonArray("schema");
    assertEquals("numeric", schema.getJsonObject(0).getString("type"));
    assertEquals(1, schema.getJsonObject(0).getInteger("missing"));
    assertEquals("categorical", schema.getJsonObject(1).getString("type"));
    assertEquals(2, schema.getJsonObject(1).getJsonObject("counts").getInteger("free"));
    assertEquals("pro, annual", dataset.getJsonArray("preview").getJsonObject(3).getString("plan"), "RFC 4180 quoting");
    JsonObject first = dataset.getJsonArray("preview").getJsonObject(0);
    assertTrue(first.getValue("age") instanceof Number, "a numeric column previews as a JSON number: " + first);
    assertEquals(42, first.getNumber("age").intValue());
    assertEquals(null, dataset.getJsonArray("preview").getJsonObject(2).getValue("age"), "a missing value previews as null");
    String id = dataset.getString("id");
    assertEquals(dataset, owner.get("/v1/datasets/" + id).json());
    assertTrue(owner.get("/v1/datasets").data().stream().map(JsonObject.class::cast).anyMatch(d -> d.getString("id").equals(id)));
  }

  /** Verifies that a multi-megabyte upload streams through (larger than the JSON body limit) and is stored whole. */
  @Test
  void largeUploadStreams() {
    StringBuilder csv = new StringBuilder("x,y,label\n");
    Random random = new Random(7);
    while (csv.length() < 3_000_000) {
      csv.append(random.nextGaussian()).append(',').append(random.nextGaussian()).append(',').append(random.nextBoolean() ? "a" : "b").append('\n');
    }

    Api.Response created = upload(owner, "big", csv.toString());

    assertEquals(201, created.status(), created.toString().substring(0, Math.min(300, created.toString().length())));
    assertEquals(csv.length(), created.json().getLong("bytes"));
    assertEquals(csv.toString().split("\n").length - 1, created.json().getInteger("rows"));
  }

  /** Verifies that broken CSVs are refused with the line (and column) at fault, and nothing is kept. */
  @Test
  void brokenCsvNamesTheLine() {
    int before = owner.get("/v1/datasets").data().size();

    Api.Response ragged = upload(owner, "ragged", "a,b\n1,2\n3,4,5\n");
    Api.Response unclosed = upload(owner, "unclosed", "a,b\n1,\"2\n");
    Api.Response empty = upload(owner, "empty", "");
    Api.Response duplicate = upload(owner, "dup", "a,a\n1,2\n");
    Api.Response headerOnly = upload(owner, "header", "a,b\n");

    assertEquals(400, ragged.status());
    assertEquals("invalid-dataset", ragged.problem());
    assertEquals(3, ragged.json().getJsonArray("errors").getJsonObject(0).getInteger("line"));
    assertTrue(ragged.json().getString("detail").contains("line 3"), ragged.toString());
    assertEquals(400, unclosed.status());
    assertTrue(unclosed.json().getString("detail").contains("never closed"), unclosed.toString());
    assertEquals(400, empty.status());
    assertEquals(400, duplicate.status());
    assertEquals("a", duplicate.json().getJsonArray("errors").getJsonObject(0).getString("column"));
    assertEquals(400, headerOnly.status());
    assertEquals(before, owner.get("/v1/datasets").data().size(), "no broken upload was kept");
  }

  /** Verifies that the plan's upload size limit answers 413 and keeps nothing. */
  @Test
  void uploadLimit() {
    Api admin = app.api().as(app.adminToken());
    admin.post("/v1/admin/plans", new JsonObject().put("name", "tiny-uploads").put("limits", new JsonObject().put("upload_bytes", 1024)));
    TenantFixture small = TenantFixture.create(app, "small", "tiny-uploads");
    Api smallOwner = app.api().as(small.ownerToken());

    Api.Response tooBig = upload(smallOwner, "big", "a\n" + "1\n".repeat(1000));

    assertEquals(413, tooBig.status(), tooBig.toString());
    assertEquals("payload-too-large", tooBig.problem());
    assertEquals(0, smallOwner.get("/v1/datasets").data().size());
    assertEquals(201, upload(smallOwner, "ok", "a\n1\n").status());
  }

  /** Verifies bad parameters, the permission rule and tenant isolation. */
  @Test
  void parametersPermissionsAndIsolation() {
    String id = upload(owner, "mine", "a\n1\n").json().getString("id");
    TenantFixture other = TenantFixture.create(app, "other");

    assertEquals(400, owner.postBytes("/v1/datasets?format=csv", "text/csv", "a\n1\n".getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(400, owner.postBytes("/v1/datasets?name=x&format=xml", "text/csv", "a\n1\n".getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(403, upload(app.api().as(acme.viewerToken()), "viewer", "a\n1\n").status(), "viewers cannot upload");
    assertEquals(404, app.api().as(other.ownerToken()).get("/v1/datasets/" + id).status());
    assertEquals(404, app.api().as(other.key()).delete("/v1/datasets/" + id).status());
    assertEquals(0, app.api().as(other.ownerToken()).get("/v1/datasets").data().size());
    assertEquals(200, owner.get("/v1/datasets/" + id).status(), "still there");
    assertEquals(204, owner.delete("/v1/datasets/" + id).status());
    assertEquals(404, owner.get("/v1/datasets/" + id).status());
  }

  /** Verifies that storage is metered as samples of what is stored, shown live, and capped by the plan. */
  @Test
  void storageIsMeteredAndCapped() throws Exception {
    TenantFixture stored = TenantFixture.create(app, "stored");
    Api api = app.api().as(stored.ownerToken());
    String first = upload(api, "one", "a\n1\n2\n").json().getString("id");
    upload(api, "two", "b\n3\n");
    assertEquals("10", api.get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("storage_bytes").getString("used"));

    assertEquals(204, api.delete("/v1/datasets/" + first).status());

    assertEquals("4", api.get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("storage_bytes").getString("used"));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
        java.sql.PreparedStatement q = c.prepareStatement("SELECT bytes FROM storage_samples WHERE tenant_id = ? ORDER BY sampled_at")) {
      q.setObject(1, java.util.UUID.fromString(stored.id()));
      java.util.List<Long> samples = new java.util.ArrayList<>();
      try (java.sql.ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          samples.add(rs.getLong(1));
        }
      }
      assertEquals(java.util.List.of(6L, 10L, 4L), samples, "a sample after every change");
    }

    Api admin = app.api().as(app.adminToken());
    admin.post("/v1/admin/plans", new JsonObject().put("name", "small-storage").put("limits", new JsonObject().put("storage_bytes", 10)));
    assertEquals(200, admin.patch("/v1/admin/tenants/" + stored.id(), new JsonObject().put("plan", "small-storage")).status());
    Api.Response full = upload(api, "three", "c\n123456\n");
    assertEquals(429, full.status(), full.toString());
    assertEquals("quota-exceeded", full.problem());
    assertEquals("storage_bytes", full.json().getString("metric"));
  }
}

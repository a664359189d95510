package dev.aiaas.gateway.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tenant owner's export of all the tenant's data. */
class TenantExportIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * Verifies that an export holds the uploaded CSV byte for byte, each model version's stored
   * parameters and metadata, and a metadata document with users and keys but no password hash or key
   * secret; that its progress ends at every item; that the download and request are audited; and
   * that another tenant cannot see it (404) nor a developer ask for one (403).
   */
  @Test
  void exportsEverythingAsUploaded() throws Exception {
    TenantFixture acme = TenantFixture.create(app, "exporter");
    Api owner = app.api().as(acme.ownerToken());
    // GIVEN an uploaded CSV (with CRLF line ends, kept as they came) and a model version
    byte[] csv = csv();
    Api.Response upload = owner.postBytes("/v1/datasets?name=line&format=csv", "text/csv", csv);
    assertEquals(201, upload.status(), upload.toString());
    String datasetId = upload.json().getString("id");
    byte[] params = new byte[300_000];
    new Random(5).nextBytes(params);
    storeModel(acme.id(), datasetId, params);

    // WHEN the owner requests an export and it finishes
    Api.Response requested = owner.post("/v1/tenant/export", new JsonObject());
    assertEquals(202, requested.status(), requested.toString());
    String exportId = requested.json().getString("id");
    JsonObject done = Eventually.until(() -> owner.get("/v1/tenant/exports/" + exportId).json(),
        e -> e.getString("state").equals("succeeded") || e.getString("state").equals("failed"), Duration.ofSeconds(60));
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    assertEquals(3, done.getJsonObject("progress").getInteger("items_total"));
    assertEquals(3, done.getJsonObject("progress").getInteger("items_done"));

    // THEN the zip holds the CSV byte for byte, the model's parameters and metadata
    Map<String, byte[]> zip = download(acme.ownerToken(), exportId);
    assertEquals(done.getLong("bytes"), (long) zip.get("").length);
    assertArrayEquals(csv, zip.get("datasets/" + datasetId + "-line.csv"));
    assertArrayEquals(params, zip.get("models/churn/v1/model.params"));
    JsonObject modelMetadata = new JsonObject(new String(zip.get("models/churn/v1/metadata.json"), StandardCharsets.UTF_8));
    assertEquals(1, modelMetadata.getInteger("version"));
    assertEquals("linear", modelMetadata.getString("architecture"));
    String metadataText = new String(zip.get("metadata.json"), StandardCharsets.UTF_8);
    JsonObject metadata = new JsonObject(metadataText);
    assertEquals(acme.name(), metadata.getJsonObject("tenant").getString("name"));
    assertEquals(3, metadata.getJsonArray("users").size());
    assertTrue(metadataText.contains(acme.ownerEmail()));
    assertEquals(acme.keyId(), metadata.getJsonArray("api_keys").getJsonObject(0).getString("id"));
    assertFalse(metadataText.contains("pbkdf2"), "no password hash");
    assertFalse(metadataText.contains("password"), "no password field");
    assertFalse(metadataText.contains(acme.key()), "no key secret");
    assertFalse(metadataText.contains("secret"), "no key secret field");
    assertEquals(1, metadata.getJsonArray("training_jobs").size());
    assertNotNull(metadata.getJsonArray("usage"));

    // AND both calls are audited
    String actions = owner.get("/v1/audit?limit=10").data().encode();
    assertTrue(actions.contains("tenant.export_requested") && actions.contains("tenant.export_downloaded"), actions);

    // AND another tenant sees nothing of it, and only owners may export
    TenantFixture other = TenantFixture.create(app, "nosy");
    assertEquals(404, app.api().as(other.ownerToken()).get("/v1/tenant/exports/" + exportId).status());
    assertEquals(404, app.api().as(other.ownerToken()).get("/v1/tenant/exports/" + exportId + "/download").status());
    assertEquals(404, owner.get("/v1/tenant/exports/" + UUID.randomUUID()).status());
    assertEquals(400, owner.get("/v1/tenant/exports/not-an-id").status());
    assertEquals(403, app.api().as(acme.developerToken()).post("/v1/tenant/export", new JsonObject()).status());
  }

  /**
   * Verifies that an export left running by a node that stopped (its lease expired, a partial chunk
   * written) is started again and finishes with a whole zip, while one whose node still holds the
   * lease is left alone and cannot be downloaded yet (409).
   */
  @Test
  void resumesAnExportLeftByAStoppedNode() throws Exception {
    TenantFixture acme = TenantFixture.create(app, "restarted");
    Api owner = app.api().as(acme.ownerToken());
    byte[] csv = csv();
    String datasetId = owner.postBytes("/v1/datasets?name=again&format=csv", "text/csv", csv).json().getString("id");
    // GIVEN an export a stopped node left half written, and one a live node is building
    UUID orphan = UUID.randomUUID();
    UUID busy = UUID.randomUUID();
    sql("""
        INSERT INTO tenant_exports (id, tenant_id, state, attempts, items_done, items_total, bytes, lease_expires_at)
        VALUES (?, ?, 'running', 1, 1, 2, 5, now() - interval '1 minute')""", orphan, UUID.fromString(acme.id()));
    sql("INSERT INTO tenant_export_chunks (export_id, seq, data) VALUES (?, 0, ?)", orphan, "stale".getBytes(StandardCharsets.US_ASCII));
    sql("""
        INSERT INTO tenant_exports (id, tenant_id, state, attempts, lease_expires_at)
        VALUES (?, ?, 'running', 1, now() + interval '1 hour')""", busy, UUID.fromString(acme.id()));

    // WHEN a node looks for work THEN the orphan finishes with the whole data
    JsonObject done = Eventually.until(() -> owner.get("/v1/tenant/exports/" + orphan).json(),
        e -> e.getString("state").equals("succeeded"), Duration.ofSeconds(60));
    assertEquals(2, done.getJsonObject("progress").getInteger("items_done"));
    assertArrayEquals(csv, download(acme.ownerToken(), orphan.toString()).get("datasets/" + datasetId + "-again.csv"));

    // AND the live one stays untouched and is not downloadable
    assertEquals("running", owner.get("/v1/tenant/exports/" + busy).json().getString("state"));
    Api.Response early = owner.get("/v1/tenant/exports/" + busy + "/download");
    assertEquals(409, early.status(), early.toString());
    assertEquals("export-not-ready", early.problem());
  }

  private static byte[] csv() {
    StringBuilder csv = new StringBuilder("x,label\r\n");
    Random random = new Random(11);
    for (int i = 0; i < 100; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(java.util.Locale.ROOT, "%.4f,%s\r\n", x, x > 0 ? "pos" : "neg"));
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The zip's entries by path, and under "" the whole zip. */
  private static Map<String, byte[]> download(String token, String exportId) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(app.uri("/v1/tenant/exports/" + exportId + "/download"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    assertEquals("application/zip", response.headers().firstValue("Content-Type").orElse(""));
    Map<String, byte[]> entries = new HashMap<>();
    entries.put("", response.body());
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.put(entry.getName(), zip.readAllBytes());
      }
    }
    return entries;
  }

  /** A trained version as the worker stores it: a succeeded job, the model row and its parameters in two chunks. */
  private static void storeModel(String tenantId, String datasetId, byte[] params) throws SQLException {
    UUID job = UUID.randomUUID();
    UUID model = UUID.randomUUID();
    UUID tenant = UUID.fromString(tenantId);
    sql("""
        INSERT INTO training_jobs (id, tenant_id, dataset_id, model_name, spec, state, finished_at)
        VALUES (?, ?, ?, 'churn', '{}'::jsonb, 'succeeded', now())""", job, tenant, UUID.fromString(datasetId));
    sql("""
        INSERT INTO models (id, tenant_id, name, version, job_id, task, architecture, metrics, hyperparameters, preprocessing, labels,
                            model_spec, artifact_bytes)
        VALUES (?, ?, 'churn', 1, ?, 'classification', 'linear', '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, '["neg","pos"]'::jsonb,
                '{}'::jsonb, ?)""", model, tenant, job, (long) params.length);
    int half = params.length / 2;
    sql("INSERT INTO model_artifact_chunks (model_id, seq, data) VALUES (?, 0, ?)", model, java.util.Arrays.copyOfRange(params, 0, half));
    sql("INSERT INTO model_artifact_chunks (model_id, seq, data) VALUES (?, 1, ?)", model,
        java.util.Arrays.copyOfRange(params, half, params.length));
  }

  private static void sql(String statement, Object... parameters) throws SQLException {
    try (Connection c = DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
         PreparedStatement s = c.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      s.executeUpdate();
    }
  }
}

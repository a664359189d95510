package dev.aiaas.gateway.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deleting model versions and models: the artifacts go and storage drops at once, never while
 * the model serves or a batch prediction needs it, never across tenants, and version numbers
 * are not issued twice.
 */
class ModelDeletionIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static String csv() {
    Random random = new Random(9);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < 200; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%s%n", x, x > 0 ? "pos" : "neg"));
    }
    return csv.toString();
  }

  private static int train(Api owner, String datasetId) {
    String jobId = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", datasetId).put("model", "churn")
        .put("task", "classification").put("label", "label").put("architecture", "linear")
        .put("hyperparameters", new JsonObject().put("epochs", 2)).put("seed", 1)).json().getString("id");
    JsonObject job = Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(),
        j -> !j.getString("state").equals("queued") && !j.getString("state").equals("running"), Duration.ofSeconds(120));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    return job.getJsonObject("result").getInteger("version");
  }

  private static long storedBytes(Api owner) {
    return Long.parseLong(owner.get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("storage_bytes").getString("used"));
  }

  /**
   * Verifies that a version can be deleted only when neither deployed nor used by a running
   * batch prediction, that its deletion frees its artifact from the storage quota and the latest
   * storage sample at once and is audited, that another tenant gets 404 and a viewer 403, that a
   * whole model is deleted once undeployed (the worker's cached copy too), and that a model
   * trained again under the name continues the version numbers.
   */
  @Test
  void deletesVersionsAndModels() throws Exception {
    TenantFixture acme = TenantFixture.create(app, "acme");
    Api owner = app.api().as(acme.ownerToken());
    Api developer = app.api().as(acme.developerToken());
    Api.Response upload = owner.postBytes("/v1/datasets?name=line&format=csv", "text/csv", csv().getBytes(StandardCharsets.UTF_8));
    assertEquals(201, upload.status(), upload.toString());
    String datasetId = upload.json().getString("id");
    long datasetBytes = storedBytes(owner);
    // GIVEN two versions of a model, version 2 deployed
    assertEquals(1, train(owner, datasetId));
    assertEquals(2, train(owner, datasetId));
    Api.Response deployed = owner.post("/v1/models/churn/deployment", new JsonObject().put("version", 2));
    assertEquals(200, deployed.status(), deployed.toString());
    JsonArray versions = owner.get("/v1/models/churn").json().getJsonArray("versions");
    long v2Bytes = versions.getJsonObject(0).getLong("artifact_bytes");
    long v1Bytes = versions.getJsonObject(1).getLong("artifact_bytes");
    assertEquals(datasetBytes + v1Bytes + v2Bytes, storedBytes(owner));

    // THEN the deployed version and the deployed model cannot be deleted
    Api.Response deployedVersion = owner.delete("/v1/models/churn/versions/2");
    assertEquals(409, deployedVersion.status(), deployedVersion.toString());
    assertEquals("model-deployed", deployedVersion.problem());
    assertEquals("model-deployed", owner.delete("/v1/models/churn").problem());

    // AND a version a running batch prediction uses cannot be deleted either
    UUID batchId = UUID.randomUUID();
    sql("""
        INSERT INTO batch_prediction_jobs (id, tenant_id, model_id, model_name, version, dataset_id, state, attempts, rows_total,
                                           lease_expires_at)
        SELECT ?, m.tenant_id, m.id, m.name, m.version, ?, 'running', 1, 200, now() + interval '1 hour'
        FROM models m WHERE m.tenant_id = ? AND m.name = 'churn' AND m.version = 1""",
        batchId, UUID.fromString(datasetId), UUID.fromString(acme.id()));
    Api.Response inUse = owner.delete("/v1/models/churn/versions/1");
    assertEquals(409, inUse.status(), inUse.toString());
    assertEquals("model-in-use", inUse.problem());
    sql("UPDATE batch_prediction_jobs SET state = 'succeeded', finished_at = now(), lease_expires_at = NULL WHERE id = ?", batchId);

    // AND another tenant learns nothing, a viewer may not delete, and a bad version is a 400
    Api stranger = app.api().as(TenantFixture.create(app, "other").ownerToken());
    assertEquals(404, stranger.delete("/v1/models/churn/versions/1").status());
    assertEquals(404, stranger.delete("/v1/models/churn").status());
    assertEquals(403, app.api().as(acme.viewerToken()).delete("/v1/models/churn/versions/1").status());
    assertEquals(400, owner.delete("/v1/models/churn/versions/one").status());
    assertEquals(2, owner.get("/v1/models/churn").json().getJsonArray("versions").size(), "nothing was deleted so far");

    // WHEN a developer deletes version 1
    Api.Response deleted = developer.delete("/v1/models/churn/versions/1");
    assertEquals(204, deleted.status(), deleted.toString());

    // THEN it is gone, its artifact no longer counts and storage was sampled at once
    JsonArray left = owner.get("/v1/models/churn").json().getJsonArray("versions");
    assertEquals(1, left.size());
    assertEquals(2, left.getJsonObject(0).getInteger("version"));
    assertEquals(datasetBytes + v2Bytes, storedBytes(owner));
    assertEquals(datasetBytes + v2Bytes, latestStorageSample(acme.id()));
    assertEquals(404, owner.delete("/v1/models/churn/versions/1").status());
    // the finished batch prediction made with it stays, with its model's name and version
    JsonObject batch = owner.get("/v1/batch-predictions/" + batchId).json();
    assertEquals("churn", batch.getString("model"));
    assertEquals(1, batch.getInteger("version"));
    JsonObject audit = owner.get("/v1/audit?limit=5").data().stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("action").equals("model.version_deleted")).findFirst().orElseThrow();
    assertEquals("model:churn", audit.getString("target"));
    assertEquals(new JsonArray().add(1), audit.getJsonObject("details").getJsonArray("versions"));

    // WHEN the model is undeployed and deleted
    Path cached = app.dataDir().resolve("model-cache").resolve(modelId(acme.id(), 2) + ".params");
    assertTrue(Files.exists(cached), "the worker cached the deployed version");
    assertEquals(204, owner.delete("/v1/models/churn/deployment").status());
    assertEquals(204, owner.delete("/v1/models/churn").status());

    // THEN it is gone, and only the dataset is stored
    assertEquals(404, owner.get("/v1/models/churn").status());
    assertEquals(404, owner.delete("/v1/models/churn").status());
    assertEquals(datasetBytes, storedBytes(owner));
    assertEquals(datasetBytes, latestStorageSample(acme.id()));
    Eventually.until(() -> Files.exists(cached), exists -> !exists, Duration.ofSeconds(30));
    assertNull(owner.get("/v1/models").data().stream().map(JsonObject.class::cast)
        .filter(m -> m.getString("name").equals("churn")).findFirst().orElse(null));

    // AND a model trained again under the name does not reuse a deleted version's number
    assertEquals(3, train(owner, datasetId));
    assertTrue(owner.get("/v1/audit?limit=20").data().stream().map(JsonObject.class::cast)
        .anyMatch(e -> e.getString("action").equals("model.deleted")));
  }

  private static UUID modelId(String tenantId, int version) throws SQLException {
    try (Connection c = connect();
         PreparedStatement q = c.prepareStatement("SELECT id FROM models WHERE tenant_id = ? AND name = 'churn' AND version = ?")) {
      q.setObject(1, UUID.fromString(tenantId));
      q.setInt(2, version);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getObject(1, UUID.class);
      }
    }
  }

  private static long latestStorageSample(String tenantId) throws SQLException {
    try (Connection c = connect();
         PreparedStatement q = c.prepareStatement("SELECT bytes FROM storage_samples WHERE tenant_id = ? ORDER BY sampled_at DESC LIMIT 1")) {
      q.setObject(1, UUID.fromString(tenantId));
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private static void sql(String statement, Object... parameters) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      s.executeUpdate();
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
  }
}

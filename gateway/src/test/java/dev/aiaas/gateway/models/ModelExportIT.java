package dev.aiaas.gateway.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Model export: the archive runs in plain DJL exactly as the platform serves it; explanations in the metadata. */
class ModelExportIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final String[] COLORS = {"red", "green", "blue"};

  /**
   * Ten features f0..f9 (f7 a color) and a label decided by f2 and f5 only: {@code "yes"} when f2 +
   * f5 > 0 (classification), else {@code 3 f2 - 2 f5} plus a little noise.
   */
  private static String csv(int rows, long seed, boolean classification) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,label\n");
    for (int i = 0; i < rows; i++) {
      double[] x = new double[10];
      for (int f = 0; f < 10; f++) {
        x[f] = random.nextGaussian();
        csv.append(f == 7 ? COLORS[random.nextInt(3)] : String.format(Locale.ROOT, "%.4f", x[f])).append(',');
      }
      csv.append(classification ? (x[2] + x[5] > 0 ? "yes" : "no")
          : String.format(Locale.ROOT, "%.4f", 3 * x[2] - 2 * x[5] + 0.1 * random.nextGaussian())).append('\n');
    }
    return csv.toString();
  }

  private static JsonObject train(Api owner, JsonObject request) {
    Api.Response submitted = owner.post("/v1/training-jobs", request);
    assertEquals(202, submitted.status(), submitted.toString());
    JsonObject job = Eventually.until(() -> owner.get("/v1/training-jobs/" + submitted.json().getString("id")).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(180));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    return job;
  }

  private static String upload(Api owner, String name, String csv) {
    Api.Response upload = owner.postBytes("/v1/datasets?name=" + name + "&format=csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    assertEquals(201, upload.status(), upload.toString());
    return upload.json().getString("id");
  }

  private static HttpResponse<byte[]> download(String path, String token) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri(path)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Unzips into {@code dir}; returns the entry names. */
  private static Set<String> unzip(byte[] zip, Path dir) throws IOException {
    Set<String> names = new HashSet<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        names.add(entry.getName());
        Files.write(dir.resolve(entry.getName()), in.readAllBytes());
      }
    }
    return names;
  }

  private static long apiCallsUsed(Api owner) {
    return Long.parseLong(owner.get("/v1/tenant").json().getJsonObject("quotas").getJsonObject("api_calls").getString("used"));
  }

  /** Fresh rows as the API takes them, with a missing (null) number, a missing category and an unseen one. */
  private static JsonArray instances() {
    Random random = new Random(77);
    JsonArray instances = new JsonArray();
    for (int i = 0; i < 40; i++) {
      JsonObject row = new JsonObject();
      for (int f = 0; f < 10; f++) {
        row.put("f" + f, f == 7 ? COLORS[random.nextInt(3)] : Math.round(random.nextGaussian() * 1e4) / 1e4);
      }
      instances.add(row);
    }
    instances.getJsonObject(0).putNull("f2");
    instances.getJsonObject(1).putNull("f7");
    instances.getJsonObject(2).put("f7", "purple");
    return instances;
  }

  /**
   * Verifies that an exported classifier and regressor, unzipped and loaded by DJL code alone as the
   * archive's README says, predict what the platform answers for the same rows (probabilities and
   * values within float rounding); that the archive holds every documented file; that the export
   * is metered as an API call, audited, and a 404 for another tenant and for a missing version; that
   * an artifact missing a chunk cuts the connection instead of ending a zip;
   * and that the version's metrics rank the two features the label depends on highest.
   */
  @Test
  void exportedModelsPredictAsThePlatformDoes(@TempDir Path tmp) throws Exception {
    TenantFixture acme = TenantFixture.create(app, "acme");
    Api owner = app.api().as(acme.ownerToken());
    // GIVEN an MLP classifier and a linear regressor
    train(owner, new JsonObject().put("dataset_id", upload(owner, "classes", csv(400, 5, true))).put("model", "ten")
        .put("task", "classification").put("label", "label").put("architecture", "mlp").put("seed", 3)
        .put("hyperparameters", new JsonObject().put("epochs", 8).put("batch_size", 64).put("learning_rate", 0.05)
            .put("hidden_units", new JsonArray().add(8))));
    train(owner, new JsonObject().put("dataset_id", upload(owner, "values", csv(400, 6, false))).put("model", "ten-y")
        .put("task", "regression").put("label", "label").put("architecture", "linear").put("seed", 4)
        .put("hyperparameters", new JsonObject().put("epochs", 8).put("batch_size", 64).put("learning_rate", 0.05)));

    // THEN the versions' metrics rank f2 and f5 highest
    for (String model : List.of("ten", "ten-y")) {
      JsonArray importance = owner.get("/v1/models/" + model).json().getJsonArray("versions").getJsonObject(0)
          .getJsonObject("metrics").getJsonArray("feature_importance");
      assertEquals(10, importance.size(), importance.encode());
      assertEquals(Set.of("f2", "f5"), Set.of(importance.getJsonObject(0).getString("feature"),
          importance.getJsonObject(1).getString("feature")), importance.encodePrettily());
      assertTrue(importance.getJsonObject(1).getDouble("importance") > 0.1, importance.encodePrettily());
    }

    for (String model : List.of("ten", "ten-y")) {
      assertEquals(200, owner.post("/v1/models/" + model + "/deployment", new JsonObject().put("version", 1)).status());
      JsonArray instances = instances();
      Api.Response predicted = owner.post("/v1/models/" + model + "/predict", new JsonObject().put("instances", instances));
      assertEquals(200, predicted.status(), predicted.toString());
      JsonArray answers = predicted.json().getJsonArray("predictions");

      // WHEN the version is exported with an API key
      String key = owner.post("/v1/keys", new JsonObject().put("name", "export-" + model)
          .put("scopes", new JsonArray().add("read"))).json().getString("key");
      long callsBefore = apiCallsUsed(owner);
      HttpResponse<byte[]> exported = download("/v1/models/" + model + "/versions/1/artifact", key);
      assertEquals(200, exported.statusCode(), new String(exported.body(), StandardCharsets.UTF_8));
      assertEquals("application/zip", exported.headers().firstValue("Content-Type").orElseThrow());
      assertTrue(exported.headers().firstValue("Content-Disposition").orElseThrow().contains(model + "-v1.zip"));
      assertEquals(callsBefore + 1, apiCallsUsed(owner), "the export is one metered API call");
      Path dir = Files.createDirectory(tmp.resolve(model));
      assertEquals(Set.of("README.md", "model_spec.json", "preprocessing.json", "labels.json", "metadata.json", "model.params"),
          unzip(exported.body(), dir));
      String readme = Files.readString(dir.resolve("README.md"));
      assertTrue(readme.contains("block.loadParameters(model.getNDManager(), in);"), readme);
      assertTrue(readme.contains("f0, f1, f2, f3, f4, f5, f6, f7, f8, f9"), readme);
      assertEquals(model, new JsonObject(Files.readString(dir.resolve("metadata.json"))).getString("model"));

      // THEN plain DJL code predicts exactly what the platform answered
      try (PlainDjlModel plain = new PlainDjlModel(dir)) {
        for (int i = 0; i < instances.size(); i++) {
          Map<String, Object> row = new HashMap<>(instances.getJsonObject(i).getMap());
          float[] out = plain.predict(row);
          JsonObject answer = answers.getJsonObject(i);
          if (plain.classification()) {
            int best = 0;
            for (int c = 0; c < out.length; c++) {
              assertEquals(answer.getJsonObject("probabilities").getDouble(plain.label(c)), out[c], 1e-5, "row " + i);
              best = out[c] > out[best] ? c : best;
            }
            assertEquals(answer.getString("label"), plain.label(best), "row " + i);
          } else {
            assertEquals(answer.getDouble("value"), out[0], 1e-4 * Math.max(1, Math.abs(out[0])), "row " + i);
          }
        }
      }
    }

    // AND the export is audited, and nobody else learns of the model
    JsonObject audit = owner.get("/v1/audit?action=model.exported").data().stream().map(JsonObject.class::cast)
        .findFirst().orElseThrow();
    assertEquals("model:ten-y", audit.getString("target"));
    assertEquals(1, audit.getJsonObject("details").getInteger("version"));
    String stranger = TenantFixture.create(app, "other").ownerToken();
    HttpResponse<byte[]> foreign = download("/v1/models/ten/versions/1/artifact", stranger);
    assertEquals(404, foreign.statusCode());
    assertTrue(foreign.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
    assertEquals(404, download("/v1/models/ten/versions/9/artifact", acme.ownerToken()).statusCode());
    assertEquals(400, download("/v1/models/ten/versions/zero/artifact", acme.ownerToken()).statusCode());
    assertEquals(200, download("/v1/models/ten/versions/1/artifact", acme.viewerToken()).statusCode(), "reading models is enough");

    // AND an artifact that lost a chunk is never sent as a complete zip: the connection is cut
    try (Connection c = DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
        PreparedStatement delete = c.prepareStatement("DELETE FROM model_artifact_chunks WHERE model_id ="
            + " (SELECT id FROM models WHERE tenant_id = ? AND name = 'ten' AND version = 1)")) {
      delete.setObject(1, UUID.fromString(acme.id()));
      assertEquals(1, delete.executeUpdate());
    }
    assertThrows(IOException.class, () -> download("/v1/models/ten/versions/1/artifact", acme.ownerToken()));
  }
}

package dev.aiaas.gateway.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.crypto.DataKeys;
import dev.aiaas.crypto.MasterKey;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Encryption at rest, seen from the database: what a dump shows, and what a changed chunk does. Its helpers serve the rotation test too. */
public class EncryptionAtRestIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /** A value no ciphertext contains by chance: found in a table, it is the plaintext. */
  private static final String MARKER = "zebra-unicorn";

  /** A CSV of {@code rows} rows whose categorical column holds {@link #MARKER}. */
  public static String csv(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("x,color,label\n");
    for (int i = 0; i < rows; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.6f,%s,%s%n", x, i % 2 == 0 ? MARKER : "okapi-narwhal", x > 0 ? "pos" : "neg"));
    }
    return csv.toString();
  }

  public static String upload(Api owner, String csv) {
    Api.Response created = owner.postBytes("/v1/datasets?name=secret&format=csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }

  public static JsonObject train(Api owner, String datasetId, String model) {
    String jobId = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", datasetId).put("model", model)
        .put("task", "classification").put("label", "label").put("architecture", "linear")
        .put("hyperparameters", new JsonObject().put("epochs", 2)).put("seed", 1)).json().getString("id");
    return Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(),
        j -> !j.getString("state").equals("queued") && !j.getString("state").equals("running"), Duration.ofSeconds(180));
  }

  /**
   * A CSV whose rows are unique lines and whose first row's {@code amount} (a number: never a
   * category, so it is in no schema's counts nor any model's vocabulary) appears only in the rows.
   */
  static String notesCsv(int rows) {
    StringBuilder csv = new StringBuilder("amount,note,label\n");
    for (int i = 0; i < rows; i++) {
      csv.append(7331 + i).append(".0427913,q7zx-unique-note-").append(i).append(',').append(i % 2 == 0 ? "pos" : "neg").append('\n');
    }
    return csv.toString();
  }

  /**
   * Verifies that reading the tables directly shows no plaintext of an uploaded CSV, of a trained
   * model's parameters, of a batch prediction's result, of a tenant export or of a webhook signing
   * secret, while the API still returns each of them intact (and another tenant's dataset is a 404);
   * and that no column of any table holds a line of an uploaded CSV, a dataset's preview or a
   * predict answer kept for an idempotent replay.
   */
  @Test
  void aDatabaseDumpRevealsNoTenantData() throws Exception {
    TenantFixture acme = TenantFixture.create(app, "sealed");
    Api owner = app.api().as(acme.ownerToken());

    // GIVEN a dataset, a model trained on it, a batch prediction over it, an export and a webhook secret
    String csv = csv(300, 5);
    String datasetId = upload(owner, csv);
    JsonObject job = train(owner, datasetId, "sealed");
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    assertEquals(200, owner.post("/v1/models/sealed/deployment", new JsonObject().put("version", 1)).status());
    String batchId = owner.post("/v1/batch-predictions", new JsonObject().put("model", "sealed").put("dataset_id", datasetId))
        .json().getString("id");
    Eventually.until(() -> owner.get("/v1/batch-predictions/" + batchId).json().getString("state"), "succeeded"::equals,
        Duration.ofSeconds(120));
    String exportId = owner.post("/v1/tenant/export", new JsonObject()).json().getString("id");
    Eventually.until(() -> owner.get("/v1/tenant/exports/" + exportId).json().getString("state"), "succeeded"::equals,
        Duration.ofSeconds(60));
    Api.Response alerts = owner.put("/v1/alerts", new JsonObject().put("thresholds", new JsonObject().put("predictions", 80))
        .putNull("webhook_url"));
    String secret = alerts.json().getString("webhook_secret");
    assertNotNull(secret, alerts.toString());

    // AND a second dataset whose preview quotes its first rows, and a predict answer kept for replays
    String notes = notesCsv(40);
    String notesId = upload(owner, notes);
    Api api = app.api().as(acme.key());
    JsonObject instances = new JsonObject().put("instances", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("x", 0.4217).put("color", MARKER)));
    Api.Response predicted = api.post("/v1/models/sealed/predict", instances, "sealed-replay-1");
    assertEquals(200, predicted.status(), predicted.toString());

    // WHEN the API reads them THEN they come back intact
    assertEquals(csv, owner.get("/v1/datasets/" + datasetId + "/content").body());
    JsonObject firstRow = owner.get("/v1/datasets/" + notesId).json().getJsonArray("preview").getJsonObject(0);
    assertEquals(7331.0427913, firstRow.getDouble("amount"), 1e-9, firstRow.encode());
    assertEquals("q7zx-unique-note-0", firstRow.getString("note"), firstRow.encode());
    Api.Response replayed = api.post("/v1/models/sealed/predict", instances, "sealed-replay-1");
    assertEquals("true", replayed.header("Idempotent-Replayed"), replayed.toString());
    assertEquals(predicted.body(), replayed.body(), "the replay returns the same bytes");
    TenantFixture other = TenantFixture.create(app, "nosy");
    assertEquals(404, app.api().as(other.ownerToken()).get("/v1/datasets/" + datasetId + "/content").status(), "another tenant's dataset");
    String result = owner.get("/v1/batch-predictions/" + batchId + "/result").body();
    assertTrue(result.contains("probability_pos"), result);
    byte[] parameters = modelParameters(acme.ownerToken(), "sealed", 1);
    assertTrue(parameters.length > 64);

    // AND the tables hold none of it in the clear, and every chunk carries its nonce
    try (Connection db = connect(app.database())) {
      UUID tenant = UUID.fromString(acme.id());
      assertEquals(0, count(db, "SELECT count(*) FROM dataset_chunks WHERE dataset_id = ? AND nonce IS NULL", UUID.fromString(datasetId)));
      assertTrue(count(db, "SELECT count(*) FROM dataset_chunks WHERE dataset_id = ?", UUID.fromString(datasetId)) > 0);
      assertEquals(0, containing(db, "dataset_chunks", MARKER.getBytes(StandardCharsets.UTF_8)), "the CSV in the clear");
      assertEquals(0, containing(db, "dataset_chunks", "x,color,label".getBytes(StandardCharsets.UTF_8)), "the CSV header in the clear");
      assertEquals(0, count(db, "SELECT count(*) FROM model_artifact_chunks c JOIN models m ON m.id = c.model_id"
          + " WHERE m.tenant_id = ? AND c.nonce IS NULL", tenant));
      byte[] slice = Arrays.copyOfRange(parameters, parameters.length / 2, parameters.length / 2 + 32);
      assertEquals(0, containing(db, "model_artifact_chunks", slice), "the model's parameters in the clear");
      assertEquals(0, containing(db, "model_artifact_chunks", Arrays.copyOf(parameters, 16)), "the parameters' header in the clear");
      assertEquals(0, count(db, "SELECT count(*) FROM batch_prediction_results WHERE job_id = ? AND nonce IS NULL", UUID.fromString(batchId)));
      assertEquals(0, containing(db, "batch_prediction_results", "probability_pos".getBytes(StandardCharsets.UTF_8)));
      assertEquals(0, count(db, "SELECT count(*) FROM tenant_export_chunks WHERE export_id = ? AND nonce IS NULL", UUID.fromString(exportId)));
      assertEquals(0, containing(db, "tenant_export_chunks", "metadata.json".getBytes(StandardCharsets.UTF_8)), "the export zip in the clear");
      assertEquals(0, containing(db, "tenant_export_chunks", MARKER.getBytes(StandardCharsets.UTF_8)));
      assertEquals(1, count(db, "SELECT count(*) FROM alert_settings WHERE tenant_id = ? AND webhook_secret IS NULL"
          + " AND webhook_secret_sealed IS NOT NULL", tenant));
      assertEquals(0, count(db, "SELECT count(*) FROM alert_settings WHERE position(? in webhook_secret_sealed) > 0",
          secret.getBytes(StandardCharsets.UTF_8)));
      assertEquals(1, count(db, "SELECT count(*) FROM tenant_data_keys WHERE tenant_id = ?", tenant), "one data key per tenant");

      // A sweep of every table, so a table added later cannot be forgotten.
      List<String> needles = new ArrayList<>();
      needles.add("7331.0427913");
      needles.add(predicted.body());
      needles.add(predicted.json().getValue("predictions").toString());
      // one predicted probability alone, however a column would format the answer around it
      java.util.regex.Matcher probability = java.util.regex.Pattern.compile("\\d\\.\\d{9,}").matcher(predicted.body());
      assertTrue(probability.find(), predicted.body());
      needles.add(probability.group());
      notes.lines().skip(1).limit(8).forEach(needles::add);
      csv.lines().skip(1).limit(8).forEach(needles::add);
      for (String needle : needles) {
        assertEquals(List.of(), columnsHolding(db, needle), "columns holding `" + needle + "` in the clear");
      }
    }
  }

  /** Every text, json or bytea column of every table that holds {@code needle} somewhere, as table.column. */
  static List<String> columnsHolding(Connection db, String needle) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement s = db.prepareStatement("""
            SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
              AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
              AND (table_schema, table_name) IN (SELECT table_schema, table_name FROM information_schema.tables
                                                 WHERE table_type = 'BASE TABLE')""");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String column = quote(rs.getString(1)) + "." + quote(rs.getString(2)) + "." + quote(rs.getString(3));
        boolean bytes = rs.getString(4).equals("bytea");
        String sql = "SELECT count(*) FROM " + quote(rs.getString(1)) + "." + quote(rs.getString(2)) + " WHERE "
            + (bytes ? "position(? in " + quote(rs.getString(3)) + ") > 0" : "strpos(" + quote(rs.getString(3)) + "::text, ?) > 0");
        Object parameter = bytes ? needle.getBytes(StandardCharsets.UTF_8) : needle;
        if (count(db, sql, parameter) > 0) {
          columns.add(column);
        }
      }
    }
    assertTrue(columnCount(db) > 50, "the sweep saw the catalog's columns");
    return columns;
  }

  private static long columnCount(Connection db) throws SQLException {
    return count(db, "SELECT count(*) FROM information_schema.columns WHERE table_schema = ? AND data_type IN ('text', 'jsonb', 'bytea')",
        "public");
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * Verifies that a preview and a kept response stored in the clear before they were sealed
   * (schema version 22) are still returned as stored, and that a changed sealed preview is a 500
   * {@code stored-data-corrupt} rather than wrong rows.
   */
  @Test
  void legacyClearPreviewsAndRepliesStillReadAndChangedPreviewsFail() throws Exception {
    TenantFixture acme = TenantFixture.create(app, "legacy");
    Api owner = app.api().as(acme.ownerToken());
    String legacyId = upload(owner, notesCsv(3));
    String sealedId = upload(owner, notesCsv(4));
    JsonObject body = new JsonObject().put("instances", new io.vertx.core.json.JsonArray().add(new JsonObject().put("x", 1)));
    String path = "/v1/models/gone/predict";
    try (Connection db = connect(app.database())) {
      // GIVEN a row as schema version 21 wrote it, and a kept response as it was stored before
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE datasets SET preview = '[{\"amount\": 1.5, \"note\": \"old\"}]'::jsonb, preview_nonce = NULL, preview_sealed = NULL"
              + " WHERE id = ?")) {
        s.setObject(1, UUID.fromString(legacyId));
        assertEquals(1, s.executeUpdate());
      }
      try (PreparedStatement s = db.prepareStatement("INSERT INTO idempotency_keys (scope, key, request_hash, status, response_body)"
          + " VALUES (?, 'legacy-1', ?, 200, '{\"predictions\":[\"kept in the clear\"]}')")) {
        s.setString(1, "tenant:" + acme.id());
        s.setBytes(2, dev.aiaas.gateway.auth.Hashing.sha256("POST " + path + "\n" + body.encode()));
        assertEquals(1, s.executeUpdate());
      }
      // AND a sealed preview with one byte flipped
      update(db, "UPDATE datasets SET preview_sealed = set_byte(preview_sealed, 2, get_byte(preview_sealed, 2) # 1) WHERE id = ?", sealedId);
    }

    // WHEN they are read THEN the legacy ones come back as stored, the changed one fails clearly
    assertEquals("old", owner.get("/v1/datasets/" + legacyId).json().getJsonArray("preview").getJsonObject(0).getString("note"));
    Api.Response replayed = app.api().as(acme.key()).post(path, body, "legacy-1");
    assertEquals("true", replayed.header("Idempotent-Replayed"), replayed.toString());
    assertEquals("{\"predictions\":[\"kept in the clear\"]}", replayed.body());
    Api.Response corrupt = owner.get("/v1/datasets/" + sealedId);
    assertEquals(500, corrupt.status(), corrupt.toString());
    assertEquals("stored-data-corrupt", corrupt.problem(), corrupt.toString());
    assertTrue(corrupt.json().getString("detail").startsWith("dataset preview " + sealedId + " chunk 0 failed authentication"),
        corrupt.toString());
  }

  /**
   * Verifies that one flipped byte in a stored dataset chunk makes training fail and the download
   * answer a 500 {@code stored-data-corrupt} problem, each naming the dataset and the chunk, and
   * that swapped or cut-off chunks are refused the same way, never returning wrong bytes.
   */
  @Test
  void aChangedSwappedOrTruncatedChunkFailsClearly() throws Exception {
    TenantFixture acme = TenantFixture.create(app, "tampered");
    Api owner = app.api().as(acme.ownerToken());
    // Over 1 MiB: two chunks each
    String csv = csv(40_000, 9);
    assertTrue(csv.length() > (1 << 20), "two chunks");
    String flipped = upload(owner, csv);
    String swapped = upload(owner, csv);
    assertEquals(csv, owner.get("/v1/datasets/" + swapped + "/content").body());

    try (Connection db = connect(app.database())) {
      // WHEN one byte of the second chunk changes THEN training on it fails naming that chunk
      update(db, "UPDATE dataset_chunks SET data = set_byte(data, 100, get_byte(data, 100) # 1) WHERE dataset_id = ? AND seq = 1", flipped);
      JsonObject job = train(owner, flipped, "tampered");
      assertEquals("failed", job.getString("state"), job.encodePrettily());
      assertTrue(job.getString("error").contains("dataset " + flipped + " chunk 1 failed authentication"), job.encodePrettily());

      // WHEN the first chunk changes too THEN the download is a problem, not bytes
      update(db, "UPDATE dataset_chunks SET data = set_byte(data, 7, get_byte(data, 7) # 128) WHERE dataset_id = ? AND seq = 0", flipped);
      assertCorrupt(owner.get("/v1/datasets/" + flipped + "/content"), flipped, 0);

      // WHEN two chunks swap places THEN neither opens
      swap(db, swapped);
      assertCorrupt(owner.get("/v1/datasets/" + swapped + "/content"), swapped, 0);
      swap(db, swapped);
      assertEquals(csv, owner.get("/v1/datasets/" + swapped + "/content").body(), "swapped back, it opens again");

      // WHEN the last chunk is cut off THEN the one left, sealed as not the last, does not open
      update(db, "DELETE FROM dataset_chunks WHERE dataset_id = ? AND seq = 1", swapped);
      assertCorrupt(owner.get("/v1/datasets/" + swapped + "/content"), swapped, 0);
    }
  }

  /**
   * Verifies that a tenant's data key is created once even when two nodes' first writes race (one
   * row, every caller gets the same key), and that a process with a cold cache unwraps the same key.
   */
  @Test
  void aDataKeyIsCreatedOnceUnderRaces() throws Exception {
    TenantFixture acme = TenantFixture.create(app, "racing");
    UUID tenant = UUID.fromString(acme.id());
    MasterKey master = MasterKey.load(app.dataDir().resolve("master.key"));
    Pool pool = PgBuilder.pool().connectingTo(app.database().connectOptions()).using(app.platform().vertx()).build();
    try {
      // GIVEN two "nodes" with cold caches WHEN each asks for the tenant's key ten times at once
      DataKeys one = new DataKeys(app.platform().vertx(), pool, master);
      DataKeys two = new DataKeys(app.platform().vertx(), pool, master);
      List<Future<SecretKey>> asked = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        asked.add(one.forWriting(tenant));
        asked.add(two.forWriting(tenant));
      }
      Future.all(asked).await(30, TimeUnit.SECONDS);

      // THEN there is one key, and a third process reading it gets the same
      byte[] key = asked.get(0).result().getEncoded();
      asked.forEach(f -> assertArrayEquals(key, f.result().getEncoded()));
      DataKeys cold = new DataKeys(app.platform().vertx(), pool, master);
      assertArrayEquals(key, cold.forReading(tenant).await(30, TimeUnit.SECONDS).orElseThrow().getEncoded());
      try (Connection db = connect(app.database())) {
        assertEquals(1, count(db, "SELECT count(*) FROM tenant_data_keys WHERE tenant_id = ?", tenant));
        assertEquals(0, count(db, "SELECT count(*) FROM tenant_data_keys WHERE position(? in wrapped) > 0", key), "stored only wrapped");
      }
    } finally {
      pool.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static void assertCorrupt(Api.Response response, String datasetId, int chunk) {
    assertEquals(500, response.status(), response.toString());
    assertEquals("stored-data-corrupt", response.problem(), response.toString());
    assertEquals("Stored data is corrupt", response.json().getString("title"));
    assertEquals("dataset " + datasetId + " chunk " + chunk + " failed authentication: the stored data was changed or belongs elsewhere",
        response.json().getString("detail"));
  }

  /** The parameters of a model version, from its exported archive (decrypted by the platform). */
  static byte[] modelParameters(String token, String model, int version) throws IOException, InterruptedException {
    HttpResponse<byte[]> archive = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            app.uri("/v1/models/" + model + "/versions/" + version + "/artifact")).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, archive.statusCode());
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive.body()))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (entry.getName().equals("model.params")) {
          return zip.readAllBytes();
        }
      }
    }
    throw new AssertionError("no model.params in the archive");
  }

  public static Connection connect(DatabaseUrl url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    props.setProperty("password", url.password());
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }

  private static long containing(Connection db, String table, byte[] needle) throws SQLException {
    return count(db, "SELECT count(*) FROM " + table + " WHERE position(? in data) > 0", needle);
  }

  public static long count(Connection db, String sql, Object parameter) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setObject(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Swaps chunks 0 and 1 (through -1: the primary key is checked row by row). */
  private static void swap(Connection db, String id) throws SQLException {
    update(db, "UPDATE dataset_chunks SET seq = -1 WHERE dataset_id = ? AND seq = 0", id);
    update(db, "UPDATE dataset_chunks SET seq = 0 WHERE dataset_id = ? AND seq = 1", id);
    update(db, "UPDATE dataset_chunks SET seq = 1 WHERE dataset_id = ? AND seq = -1", id);
  }

  private static void update(Connection db, String sql, String id) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setObject(1, UUID.fromString(id));
      assertTrue(s.executeUpdate() > 0, sql);
    }
  }
}

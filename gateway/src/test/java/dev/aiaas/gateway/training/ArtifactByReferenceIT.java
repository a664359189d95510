package dev.aiaas.gateway.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.worker.api.Ack;
import dev.aiaas.worker.api.TrainedModel;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.api.TrainingOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A training result travels by reference: the worker stores the parameters in PostgreSQL and its
 * outcome message names them by id and checksum; the gateway adopts them for the new version.
 */
class ArtifactByReferenceIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /**
   * Verifies that the outcome message carries no parameters (its clustered form is smaller than
   * they are), that the version's stored artifact is exactly the one the message names, that the
   * model deploys and predicts, and that a resent outcome is acknowledged without a second
   * version or a leftover artifact.
   */
  @Test
  void outcomeNamesTheStoredArtifact() throws Exception {
    List<TrainingOutcome> sent = new CopyOnWriteArrayList<>();
    app.platform().vertx().eventBus().addOutboundInterceptor(delivery -> {
      if (TrainingAddresses.RESULT.equals(delivery.message().address())) {
        sent.add(assertInstanceOf(TrainingOutcome.class, delivery.body()));
      }
      delivery.next();
    });
    TenantFixture acme = TenantFixture.create(app, "acme");
    Api owner = app.api().as(acme.ownerToken());
    String dataset = owner.postBytes("/v1/datasets?name=points&format=csv", "text/csv", csv().getBytes(StandardCharsets.UTF_8))
        .json().getString("id");

    // WHEN a job trains an MLP whose parameters are tens of kilobytes
    String jobId = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "points")
        .put("task", "classification").put("label", "label").put("architecture", "mlp")
        .put("hyperparameters", new JsonObject().put("epochs", 3).put("hidden_units", new JsonArray().add(64).add(64)))
        .put("seed", 3)).json().getString("id");
    JsonObject job = Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(),
        j -> !j.getString("state").equals("queued") && !j.getString("state").equals("running"), Duration.ofSeconds(120));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());

    // THEN the outcome named the artifact instead of carrying it
    TrainingOutcome outcome = sent.get(0);
    TrainedModel trained = outcome.model().orElseThrow();
    Buffer wire = Buffer.buffer();
    TrainingOutcome.WIRE.codec().encodeToWire(wire, outcome);
    assertTrue(trained.artifactBytes() > 10_000, "parameters of " + trained.artifactBytes() + " bytes");
    assertTrue(wire.length() < trained.artifactBytes(), "outcome of " + wire.length() + " bytes");
    // AND the version holds exactly those bytes, and nothing is left behind
    assertEquals(trained.artifactSha256(), storedSha256(jobId));
    assertEquals(0, leftoverArtifacts(jobId));

    // AND the model deploys and predicts
    assertEquals(true, owner.post("/v1/models/points/deployment", new JsonObject().put("version", 1)).status() < 300);
    Api.Response answer = Eventually.until(() -> owner.post("/v1/models/points/predict", new JsonObject().put("instances",
        new JsonArray().add(new JsonObject().put("x", 2).put("y", 1)))), r -> r.status() == 200, Duration.ofSeconds(60));
    assertEquals(1, answer.json().getJsonArray("predictions").size(), answer.toString());

    // WHEN the worker's outcome arrives once more (a resend after a lost reply)
    Object reply = app.platform().vertx().eventBus().request(TrainingAddresses.RESULT, outcome).await(30, TimeUnit.SECONDS).body();
    // THEN it is acknowledged and changes nothing
    assertEquals(Ack.INSTANCE, reply);
    assertEquals(1, owner.get("/v1/models/points").json().getJsonArray("versions").size());
    assertEquals(trained.artifactSha256(), storedSha256(jobId));
    assertEquals(0, leftoverArtifacts(jobId));
  }

  /** The SHA-256 of the adopted version's parameters, opened as a worker opens them (they are sealed at rest). */
  private static String storedSha256(String jobId) throws Exception {
    UUID modelId;
    try (Connection c = connect(); PreparedStatement q = c.prepareStatement("SELECT id FROM models WHERE job_id = ?")) {
      q.setObject(1, UUID.fromString(jobId));
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        modelId = rs.getObject(1, UUID.class);
      }
    }
    io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool().connectingTo(app.database().connectOptions())
        .using(app.platform().vertx()).build();
    try {
      byte[] parameters = dev.aiaas.gateway.testing.StoredArtifacts.parameters(pool, app.platform().dataKeys(), modelId);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(parameters));
    } finally {
      pool.close().await();
    }
  }

  private static int leftoverArtifacts(String jobId) throws SQLException {
    try (Connection c = connect(); PreparedStatement q = c.prepareStatement("SELECT count(*) FROM training_artifacts WHERE job_id = ?")) {
      q.setObject(1, UUID.fromString(jobId));
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
  }

  private static String csv() {
    Random random = new Random(11);
    StringBuilder csv = new StringBuilder("x,y,label\n");
    for (int i = 0; i < 200; i++) {
      double x = random.nextGaussian();
      double y = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", x, y, x + y > 0 ? "pos" : "neg"));
    }
    return csv.toString();
  }
}

package dev.aiaas.gateway.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.jobs.JobOutcomes;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.worker.api.JobState;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.api.TrainingOutcome;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Training usage commits with the job's outcome, in one transaction, under an event id derived
 * from the job and attempt: never lost between the two, never counted twice, and billed for
 * failed and cancelled runs too.
 */
class TrainingUsageIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;
  private static Api owner;
  private static String datasetId;

  @BeforeAll
  static void data() {
    acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
    Random random = new Random(5);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < 200; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%s%n", x, x > 0 ? "pos" : "neg"));
    }
    Api.Response upload = owner.postBytes("/v1/datasets?name=line&format=csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(201, upload.status(), upload.toString());
    datasetId = upload.json().getString("id");
  }

  private static JsonObject job(String model, int epochs) {
    return new JsonObject().put("dataset_id", datasetId).put("model", model).put("task", "classification").put("label", "label")
        .put("architecture", "linear").put("hyperparameters", new JsonObject().put("epochs", epochs)).put("seed", 1);
  }

  private static JsonObject awaitEnd(String jobId) {
    return Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(),
        j -> !j.getString("state").equals("queued") && !j.getString("state").equals("running"), Duration.ofSeconds(120));
  }

  /**
   * Verifies that when the usage insert fails inside the outcome's transaction, the outcome is not
   * committed either (the job still runs, no model version, no usage), and that the worker's
   * resend, once the database takes usage again, commits both exactly once, with the model name
   * and the job id on the event; a further resend changes nothing.
   */
  @Test
  void usageAndOutcomeCommitTogether() throws Exception {
    // GIVEN the database refuses this tenant's training usage (a trigger counting its refusals)
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE test_usage_gate (tenant_id uuid PRIMARY KEY)");
      s.execute("CREATE SEQUENCE test_usage_refusals");
      s.execute("""
          CREATE FUNCTION test_refuse_training_usage() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.metric = 'training_seconds' AND EXISTS (SELECT 1 FROM test_usage_gate g WHERE g.tenant_id = NEW.tenant_id) THEN
              PERFORM nextval('test_usage_refusals');
              RAISE EXCEPTION 'training usage refused by the test';
            END IF;
            RETURN NEW;
          END $$""");
      s.execute("CREATE TRIGGER test_refuse_training_usage BEFORE INSERT ON usage_events FOR EACH ROW"
          + " EXECUTE FUNCTION test_refuse_training_usage()");
      s.execute("INSERT INTO test_usage_gate VALUES ('" + UUID.fromString(acme.id()) + "')");
    }

    // WHEN a job trains and its worker reports the outcome
    String jobId = owner.post("/v1/training-jobs", job("gated", 2)).json().getString("id");
    Eventually.until(TrainingUsageIT::refusals, n -> n >= 1, Duration.ofSeconds(120));

    // THEN nothing of the outcome is committed: the job still runs, no version, no usage
    assertEquals("running", owner.get("/v1/training-jobs/" + jobId).json().getString("state"));
    assertEquals(404, owner.get("/v1/models/gated").status(), "no model version without its usage");
    assertTrue(usageOf(jobId).isEmpty(), "no usage without the outcome");

    // WHEN the database takes usage again
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM test_usage_gate");
    }

    // THEN the worker's resend commits the outcome and its usage, once
    JsonObject done = awaitEnd(jobId);
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    assertEquals(1, done.getInteger("attempts"), "the resend of the first run was recorded; the job did not run again");
    assertEquals(1, owner.get("/v1/models/gated").json().getJsonArray("versions").size());
    List<UsageRow> usage = usageOf(jobId);
    assertEquals(1, usage.size(), usage.toString());
    UsageRow event = usage.get(0);
    assertEquals("gated", event.model(), "the event names the model");
    assertEquals(JobOutcomes.eventId("training", UUID.fromString(jobId), 1, Metric.TRAINING_SECONDS), event.eventId(),
        "the event id is derived from the job and the attempt");
    assertTrue(event.quantity().signum() > 0);

    // AND a late duplicate of the outcome is dropped: the usage stays as it is
    TrainingOutcome duplicate = new TrainingOutcome(UUID.fromString(jobId), 1, JobState.FAILED, Optional.of("a stale copy"), 99.0,
        "cpu()", Optional.empty());
    app.platform().vertx().eventBus().request(TrainingAddresses.RESULT, duplicate).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertEquals(usage, usageOf(jobId));
    assertEquals("succeeded", owner.get("/v1/training-jobs/" + jobId).json().getString("state"));
  }

  /** Verifies that a cancelled run is billed for the training seconds it used, under its model's name. */
  @Test
  void cancelledRunsAreBilled() throws Exception {
    String jobId = owner.post("/v1/training-jobs", job("abandoned", 1000)).json().getString("id");
    Eventually.until(() -> owner.get("/v1/training-jobs/" + jobId).json(), j -> j.containsKey("progress"), Duration.ofSeconds(120));

    owner.post("/v1/training-jobs/" + jobId + "/cancel", new JsonObject());

    assertEquals("cancelled", awaitEnd(jobId).getString("state"));
    List<UsageRow> usage = Eventually.until(() -> usageOf(jobId), rows -> !rows.isEmpty(), Duration.ofSeconds(10));
    assertEquals(1, usage.size(), usage.toString());
    assertEquals("abandoned", usage.get(0).model());
    assertTrue(usage.get(0).quantity().signum() > 0, "the seconds the device was busy are billed");
    // AND the invoice says that such runs count
    String period = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    JsonObject line = owner.get("/v1/invoices/" + period).json().getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(l -> "training_seconds".equals(l.getString("metric"))).findFirst().orElseThrow();
    assertTrue(line.getString("description").contains("failed or cancelled"), line.encode());
  }

  /** One usage event as stored. */
  private record UsageRow(UUID eventId, String model, BigDecimal quantity) {}

  private static List<UsageRow> usageOf(String jobId) {
    try (Connection c = connect();
         PreparedStatement q = c.prepareStatement("SELECT event_id, model, quantity FROM usage_events WHERE job_id = ?"
             + " AND metric = 'training_seconds' ORDER BY event_id")) {
      q.setObject(1, UUID.fromString(jobId));
      List<UsageRow> rows = new ArrayList<>();
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          rows.add(new UsageRow(r.getObject(1, UUID.class), r.getString(2), r.getBigDecimal(3)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long refusals() {
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM test_usage_refusals")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
  }
}

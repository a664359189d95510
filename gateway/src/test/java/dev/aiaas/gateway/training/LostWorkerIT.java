package dev.aiaas.gateway.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.worker.api.JobAccepted;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.api.TrainingRun;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker that accepts a job and then dies (no heartbeat, no result): when its lease lapses the
 * job goes back to the queue, runs again on a live worker, and succeeds.
 */
class LostWorkerIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static String csv() {
    Random random = new Random(3);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < 200; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%s%n", x, x > 0 ? "pos" : "neg"));
    }
    return csv.toString();
  }

  private static JsonObject job(String datasetId, String model, int epochs) {
    return new JsonObject().put("dataset_id", datasetId).put("model", model).put("task", "classification").put("label", "label")
        .put("architecture", "linear").put("hyperparameters", new JsonObject().put("epochs", epochs)).put("seed", 1);
  }

  /** Verifies that a job whose worker vanished runs again after its lease expires and succeeds on its second attempt. */
  @Test
  void lostJobRunsAgain() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    Api owner = app.api().as(acme.ownerToken());
    String dataset = owner.postBytes("/v1/datasets?name=line&format=csv", "text/csv", csv().getBytes(StandardCharsets.UTF_8))
        .json().getString("id");
    // GIVEN the real worker is busy with a long job
    String busy = owner.post("/v1/training-jobs", job(dataset, "long", 1000)).json().getString("id");
    Eventually.until(() -> owner.get("/v1/training-jobs/" + busy).json(), j -> j.containsKey("progress"), Duration.ofSeconds(60));
    // AND a worker that will accept one job and then die silently
    AtomicReference<MessageConsumer<TrainingRun>> doomed = new AtomicReference<>();
    doomed.set(app.platform().vertx().eventBus().consumer(TrainingAddresses.RUN, msg -> {
      msg.reply(new JobAccepted("doomed-worker"));
      doomed.get().unregister();
    }));

    // WHEN a job is submitted, the doomed worker takes it (the busy one refuses) ...
    String lost = owner.post("/v1/training-jobs", job(dataset, "resilient", 3)).json().getString("id");
    Eventually.until(() -> owner.get("/v1/training-jobs/" + lost).json(), j -> j.getString("state").equals("running"), Duration.ofSeconds(30));
    // ... and the real worker becomes free
    owner.post("/v1/training-jobs/" + busy + "/cancel", new JsonObject());

    // THEN after the lease lapses the job runs again on the live worker and succeeds
    JsonObject finished = Eventually.until(() -> owner.get("/v1/training-jobs/" + lost).json(),
        j -> !j.getString("state").equals("queued") && !j.getString("state").equals("running"), Duration.ofSeconds(90));
    assertEquals("succeeded", finished.getString("state"), finished.encodePrettily());
    assertEquals(2, finished.getInteger("attempts"), "the second run succeeded");
    assertTrue(owner.get("/v1/models/resilient").json().getJsonArray("versions", new JsonArray()).size() == 1);
  }
}

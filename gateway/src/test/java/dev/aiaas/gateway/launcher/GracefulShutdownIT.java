package dev.aiaas.gateway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.PrometheusText;
import dev.aiaas.gateway.testing.SignModel;
import dev.aiaas.gateway.testing.StandalonePlatforms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shutting down lets the requests in flight finish: the HTTP server drains before workers and database stop. */
class GracefulShutdownIT {

  /**
   * Verifies that a predict request in flight when the platform is told to stop is answered with
   * success (its batch is still waiting on the worker when the stop begins).
   */
  @Test
  void aRequestInFlightFinishesDuringShutdown() throws Exception {
    AiaasConfig config = StandalonePlatforms.freshConfig("shutdown", 10);
    Platform platform = Platform.start(config, Role.SERVE, false);
    try {
      String token = StandalonePlatforms.tenant(platform, "acme").ownerToken();
      Api owner = StandalonePlatforms.api(platform).as(token);
      SignModel.train(owner, "sign");
      // A lone request waits 1 s in the worker's batcher for company: long enough to begin the stop meanwhile.
      assertEquals(200, owner.post("/v1/models/sign/deployment", new JsonObject().put("version", 1).put("max_batch_delay_ms", 1000)
          .put("max_batch_size", 1024)).status());
      JsonObject request = new JsonObject().put("instances", new JsonArray().add(new JsonObject().put("x", 1.5)));

      CompletableFuture<Api.Response> inFlight = CompletableFuture.supplyAsync(() -> owner.post("/v1/models/sign/predict", request));
      PrometheusText.awaitPredictionsInFlight(owner, 1);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(platform::close);

      Api.Response answer = inFlight.get(30, TimeUnit.SECONDS);
      assertEquals(200, answer.status(), answer.toString());
      assertEquals("pos", answer.json().getJsonArray("predictions").getJsonObject(0).getString("label"));
      stopping.get(60, TimeUnit.SECONDS);
    } finally {
      platform.close();
    }
  }
}

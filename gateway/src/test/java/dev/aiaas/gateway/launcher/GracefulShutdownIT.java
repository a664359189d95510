package dev.aiaas.gateway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.PrometheusText;
import dev.aiaas.gateway.testing.SignModel;
import dev.aiaas.gateway.testing.StandalonePlatforms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

      // HTTP/1.1, as most API clients speak over plain http: on HTTP/2 the server's GOAWAY names the
      // streams it will still finish, but the JDK 17 client fails every open stream when it arrives.
      HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> inFlight = http1.sendAsync(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + platform.httpPort() + "/v1/models/sign/predict"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(request.encode())).build(), HttpResponse.BodyHandlers.ofString());
      PrometheusText.awaitPredictionsInFlight(owner, 1);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(platform::close);

      HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals("pos", new JsonObject(answer.body()).getJsonArray("predictions").getJsonObject(0).getString("label"));
      stopping.get(60, TimeUnit.SECONDS);
    } finally {
      platform.close();
    }
  }
}

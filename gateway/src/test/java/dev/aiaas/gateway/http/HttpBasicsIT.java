package dev.aiaas.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.RunningPlatform;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway's HTTP basics, against the real application: errors, request ids, operational routes. */
class HttpBasicsIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform().with("AIAAS_MAX_BODY_BYTES", "2048");

  /** Verifies that an unknown path is a 404 problem document carrying the request id. */
  @Test
  void unknownPathIsProblem404() {
    HttpResponse<String> response = app.get("/v1/no-such-thing");

    assertEquals(404, response.statusCode());
    assertEquals(Problems.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
    JsonObject problem = new JsonObject(response.body());
    assertEquals("urn:aiaas:problem:not-found", problem.getString("type"));
    assertEquals(404, problem.getInteger("status"));
    assertEquals("/v1/no-such-thing", problem.getString("instance"));
    assertTrue(problem.getString("detail").contains("/v1/no-such-thing"));
    String requestId = response.headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertEquals(requestId, problem.getString("request_id"));
  }

  /** Verifies that a client's well-formed X-Request-Id is echoed in the header and the problem. */
  @Test
  void clientRequestIdIsEchoed() {
    HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/nowhere")).header(RequestIds.HEADER, "trace-42.a:b_c"));

    assertEquals("trace-42.a:b_c", response.headers().firstValue(RequestIds.HEADER).orElseThrow());
    assertEquals("trace-42.a:b_c", new JsonObject(response.body()).getString("request_id"));
  }

  /** Verifies that a malformed X-Request-Id is replaced instead of being reflected. */
  @Test
  void malformedRequestIdIsReplaced() {
    HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/health/live")).header(RequestIds.HEADER, "<script>"));

    String id = response.headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertNotEquals("<script>", id);
    assertTrue(id.matches("[0-9a-f-]{36}"), id);
  }

  /** Verifies that a wrong method on an existing path is a 405 problem. */
  @Test
  void wrongMethodIsProblem405() {
    HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/health/live")).DELETE());

    assertEquals(405, response.statusCode());
    assertEquals("urn:aiaas:problem:method-not-allowed", new JsonObject(response.body()).getString("type"));
  }

  /** Verifies that a body over the configured limit is refused with a 413 problem. */
  @Test
  void oversizedBodyIsProblem413() {
    String body = "x".repeat(10_000);
    HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/v1/anything"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));

    assertEquals(413, response.statusCode());
    JsonObject problem = new JsonObject(response.body());
    assertEquals("urn:aiaas:problem:payload-too-large", problem.getString("type"));
    assertTrue(problem.getString("detail").contains("2048"));
  }

  /** Verifies that liveness answers and readiness reports the database schema and the worker's device. */
  @Test
  void healthReportsDatabaseAndWorkers() {
    assertEquals(200, app.get("/health/live").statusCode());

    HttpResponse<String> ready = app.get("/health/ready");

    assertEquals(200, ready.statusCode(), ready.body());
    JsonObject checks = new JsonObject(ready.body()).getJsonObject("checks");
    assertEquals("UP", checks.getJsonObject("database").getString("status"));
    assertTrue(checks.getJsonObject("database").getString("schema_version").matches("\\d+"));
    JsonObject worker = checks.getJsonObject("workers").getJsonArray("workers").getJsonObject(0);
    assertEquals("MXNet", worker.getString("engine"));
    assertEquals("cpu()", worker.getString("device"));
  }

  /** Verifies that /metrics is Prometheus text with Vert.x HTTP server metrics. */
  @Test
  void metricsArePrometheusText() {
    app.get("/health/live");

    HttpResponse<String> metrics = app.get("/metrics");

    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
    assertTrue(metrics.body().contains("vertx_http_server_requests_total"), "HTTP server metrics present");
    assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM metrics present");
  }

  /** Verifies that the contract is served as YAML. */
  @Test
  void openApiIsServed() {
    HttpResponse<String> spec = app.get("/openapi.yaml");

    assertEquals(200, spec.statusCode());
    assertTrue(spec.body().startsWith("openapi: 3.1.0"));
    assertTrue(spec.body().contains("/health/ready:"));
  }
}

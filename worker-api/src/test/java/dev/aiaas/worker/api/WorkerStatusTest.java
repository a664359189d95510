package dev.aiaas.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkerStatusTest {

  private static final WorkerStatus STATUS =
      new WorkerStatus(
          "0b6c3a5e-1f7e-4d8f-9a51-6a3c2b1d0e9f",
          "node-a",
          "gpu(1)",
          "MXNet",
          "1.9.1",
          2,
          Instant.parse("2025-01-02T03:04:05.678Z"));

  /** Verifies that the form the health endpoint shows uses snake_case keys and ISO-8601 time. */
  @Test
  void toJsonUsesSnakeCase() {
    JsonObject expected =
        new JsonObject()
            .put("worker_id", "0b6c3a5e-1f7e-4d8f-9a51-6a3c2b1d0e9f")
            .put("node", "node-a")
            .put("device", "gpu(1)")
            .put("engine", "MXNet")
            .put("engine_version", "1.9.1")
            .put("gpu_count", 2)
            .put("started_at", "2025-01-02T03:04:05.678Z")
            .put("models", new io.vertx.core.json.JsonArray());
    assertEquals(expected, STATUS.toJson());
  }

  /** Verifies that the log text names engine, version and device. */
  @Test
  void describeIsShort() {
    assertEquals("MXNet 1.9.1 on gpu(1)", STATUS.describe());
  }
}

package dev.aiaas.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.worker.api.wire.RecordCodec;
import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventBusCodecsTest {

  private static final UUID JOB = UUID.fromString("6f1d0c1e-0000-4000-8000-000000000001");
  private static final UUID TENANT = UUID.fromString("6f1d0c1e-0000-4000-8000-000000000002");
  private static final UUID DATASET = UUID.fromString("6f1d0c1e-0000-4000-8000-000000000003");
  private static final JsonObject METRICS = new JsonObject().put("accuracy", 0.75).put("per_class", new JsonObject().put("ä", 1));

  /** One message of every type, with every field set to something other than its default. */
  static final List<Object> SAMPLES = List.of(
      new TrainingRun(JOB, 2, TENANT, DATASET, new JsonObject().put("task", "classification").put("seed", 7)),
      new JobAccepted("worker-1"),
      new JobCancel(JOB),
      new JobHeartbeat(JOB, 3, "worker-1"),
      new TrainingProgress(JOB, 1, new EpochProgress(4, 20, 0.5, 0.25, METRICS, 812.5)),
      new TrainingOutcome(JOB, 2, JobState.SUCCEEDED, Optional.empty(), 12.5, "gpu(1)", Optional.of(new TrainedModel(
          UUID.fromString("6f1d0c1e-0000-4000-8000-000000000004"), 12_345, "ab".repeat(32), METRICS,
          new JsonObject().put("columns", new JsonArray().add("age")), List.of("no", "yes"), 17, true, 9,
          new JsonObject().put("architecture", "mlp")))),
      new TrainingOutcome(JOB, 1, JobState.FAILED, Optional.of("label: no such column ☹"), 0.25, "cpu()", Optional.empty()),
      new TrainingFinished(JOB, JobState.CANCELLED),
      Ack.INSTANCE,
      new BatchRun(JOB, 1, TENANT, DATASET, UUID.fromString("6f1d0c1e-0000-4000-8000-000000000005")),
      new BatchProgress(JOB, 1, "worker-2", 2048, OptionalLong.of(10_000)),
      new BatchProgress(JOB, 1, "worker-2", 64, OptionalLong.empty()),
      new BatchOutcome(JOB, 2, JobState.SUCCEEDED, Optional.empty(), 10_000, 345_678),
      ServingSync.INSTANCE,
      new RouteChanged(TENANT, "churn"),
      new PredictRequest(new JsonArray().add(new JsonObject().put("age", 42).put("plan", "pro")).add(new JsonArray().add(1.5))),
      new PredictAnswer(new JsonArray().add(new JsonObject().put("label", "yes").put("score", 0.9)), 3, 17),
      new ExplainRequest(new JsonArray().add(new JsonObject().put("age", 42)), 75),
      new ExplainAnswer(ExplainAnswer.INTEGRATED_GRADIENTS, 75, new JsonArray().add(new JsonObject().put("target", "yes")
          .put("attributions", new JsonObject().put("age", 0.25))), 3),
      new ServingStatus("cpu()", 32, 2, 1000),
      new WorkerStatus("w-1", "node-a", "gpu(0)", "MXNet", "1.9.1", 2, Instant.parse("2026-11-30T01:02:03.456789Z"))
          .withModels(List.of(new LoadedModel("m-1", TENANT.toString(), "churn", 3))),
      WorkerDiscover.INSTANCE);

  /** Verifies that every message type of the worker API has a sample here, so none escapes the round trip. */
  @Test
  void everyMessageTypeHasASample() {
    Set<Class<?>> sampled = SAMPLES.stream().map(Object::getClass).collect(Collectors.toSet());
    Set<Class<?>> registered = EventBusCodecs.WORKER_API.stream().map(Wire::type).collect(Collectors.toSet());
    assertEquals(registered, sampled);
  }

  /** Verifies that each message survives the clustered encoding unchanged, read back from the middle of a buffer. */
  @Test
  void clusteredEncodingRoundTrips() {
    Map<Class<?>, Wire<?>> wires = EventBusCodecs.WORKER_API.stream().collect(Collectors.toMap(Wire::type, Function.identity()));
    for (Object sample : SAMPLES) {
      assertEquals(sample, roundTrip(wires.get(sample.getClass()), sample), sample.getClass().getSimpleName());
    }
  }

  /** Verifies that the clustered form of a training run is smaller than the same fields as a JSON message. */
  @Test
  void clusteredEncodingIsCompact() {
    Buffer binary = Buffer.buffer();
    TrainingRun run = (TrainingRun) SAMPLES.get(0);
    TrainingRun.WIRE.codec().encodeToWire(binary, run);
    JsonObject asJson = new JsonObject().put("job_id", JOB.toString()).put("attempt", 2).put("tenant_id", TENANT.toString())
        .put("dataset_id", DATASET.toString()).put("spec", run.spec());
    assertTrue(binary.length() < asJson.toBuffer().length(), binary.length() + " vs " + asJson.toBuffer().length());
  }

  /** Verifies that on one Vert.x instance the receiver gets the very object sent: no copy, no encoding. */
  @Test
  void localDeliveryPassesTheSameInstance() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      EventBusCodecs.register(vertx);
      EventBusCodecs.register(vertx); // both sides register in an all-in-one process: the second is a no-op
      for (Object sample : SAMPLES) {
        String address = "test." + sample.getClass().getSimpleName();
        vertx.eventBus().consumer(address, msg -> msg.reply(msg.body())).completion().await(10, TimeUnit.SECONDS);
        Object received = vertx.eventBus().request(address, sample, new DeliveryOptions()).await(10, TimeUnit.SECONDS).body();
        assertSame(sample, received, sample.getClass().getSimpleName());
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(Wire<T> wire, Object sample) {
    RecordCodec<T> codec = wire.codec();
    Buffer buffer = Buffer.buffer("prefix");
    codec.encodeToWire(buffer, (T) sample);
    buffer.appendString("suffix");
    return codec.decodeFromWire("prefix".length(), buffer);
  }
}

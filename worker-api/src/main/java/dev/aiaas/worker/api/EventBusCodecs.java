package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import java.util.List;

/**
 * Registers the message records' codecs as their types' default codecs, so sending a record needs
 * no delivery option and a {@code JsonObject} body is never needed. Both sides register (any of
 * them may be first in a process); registering again is a no-op.
 */
public final class EventBusCodecs {

  /** Every message between gateways and workers. */
  public static final List<Wire<?>> WORKER_API = List.of(
      TrainingRun.WIRE, JobAccepted.WIRE, JobCancel.WIRE, JobHeartbeat.WIRE, TrainingProgress.WIRE, TrainingOutcome.WIRE,
      TrainingFinished.WIRE, Ack.WIRE, BatchRun.WIRE, BatchProgress.WIRE, BatchOutcome.WIRE, ServingSync.WIRE,
      RouteChanged.WIRE, PredictRequest.WIRE, PredictAnswer.WIRE, ExplainRequest.WIRE, ExplainAnswer.WIRE, ServingStatus.WIRE,
      WorkerStatus.WIRE, WorkerDiscover.WIRE);

  private EventBusCodecs() {}

  /** Registers the worker API's codecs on {@code vertx}, once per Vert.x instance. */
  public static void register(Vertx vertx) {
    register(vertx, WORKER_API);
  }

  /** Registers {@code wires}' codecs on {@code vertx}, each once per Vert.x instance. */
  public static void register(Vertx vertx, List<Wire<?>> wires) {
    LocalMap<String, Boolean> registered = vertx.sharedData().getLocalMap("aiaas.event-bus-codecs");
    for (Wire<?> wire : wires) {
      if (registered.putIfAbsent(wire.type().getName(), true) == null) {
        registerDefault(vertx, wire);
      }
    }
  }

  private static <T> void registerDefault(Vertx vertx, Wire<T> wire) {
    vertx.eventBus().registerDefaultCodec(wire.type(), wire.codec());
  }
}

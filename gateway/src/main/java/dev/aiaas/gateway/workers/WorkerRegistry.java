package dev.aiaas.gateway.workers;

import dev.aiaas.worker.api.WorkerAddresses;
import dev.aiaas.worker.api.WorkerDiscover;
import dev.aiaas.worker.api.WorkerStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's live view of the worker verticles, local or elsewhere in the cluster, kept from
 * their status announcements on the event bus. A worker that misses three heartbeats is dropped,
 * so readiness reflects workers that are actually there.
 */
public final class WorkerRegistry {

  private final Vertx vertx;
  private final Duration expiry;
  private final Clock clock;
  private final Map<String, Seen> workers = new ConcurrentHashMap<>();
  private MessageConsumer<WorkerStatus> statusConsumer;
  private MessageConsumer<WorkerStatus> stoppingConsumer;

  private record Seen(WorkerStatus status, Instant at) {}

  public WorkerRegistry(Vertx vertx, Duration heartbeatInterval, Clock clock) {
    this.vertx = vertx;
    this.expiry = heartbeatInterval.multipliedBy(3);
    this.clock = clock;
  }

  /** Starts listening and asks every worker already running to announce itself. */
  public Future<Void> start() {
    statusConsumer = vertx.eventBus().consumer(WorkerAddresses.STATUS, msg -> {
      WorkerStatus status = msg.body();
      workers.put(status.workerId(), new Seen(status, clock.instant()));
    });
    stoppingConsumer = vertx.eventBus().consumer(WorkerAddresses.STOPPING,
        msg -> workers.remove(msg.body().workerId()));
    return Future.all(statusConsumer.completion(), stoppingConsumer.completion())
        .onSuccess(ignored -> vertx.eventBus().publish(WorkerAddresses.DISCOVER, WorkerDiscover.INSTANCE))
        .mapEmpty();
  }

  /** Workers heard from within the expiry window. */
  public List<WorkerStatus> live() {
    Instant oldest = clock.instant().minus(expiry);
    workers.values().removeIf(seen -> seen.at().isBefore(oldest));
    return workers.values().stream().map(Seen::status).toList();
  }

  public Future<Void> stop() {
    if (statusConsumer == null) {
      return Future.succeededFuture();
    }
    return Future.all(statusConsumer.unregister(), stoppingConsumer.unregister()).mapEmpty();
  }
}

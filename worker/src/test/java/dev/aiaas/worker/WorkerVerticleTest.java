package dev.aiaas.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.worker.api.WorkerAddresses;
import dev.aiaas.worker.api.WorkerDiscover;
import dev.aiaas.worker.api.WorkerStatus;
import dev.aiaas.worker.engine.DjlRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerVerticleTest {

  /**
   * Verifies that a CPU worker answers DISCOVER with its MXNet status on STATUS, and announces
   * itself on STOPPING when undeployed.
   */
  @Test
  void answersDiscoveryAndAnnouncesStop(Vertx vertx, VertxTestContext ctx) {
    // GIVEN one CPU worker with the default heartbeat
    Workers.deploy(vertx, "cpu", Duration.ofSeconds(5), unusedPool(vertx), unusedKeys(vertx), cacheDir())
        .compose(
            deployed -> {
              WorkerStatus expected = deployed.statuses().get(0);
              ctx.verify(
                  () -> {
                    // per device: one announcing verticle, a trainer, a server and a batch predictor
                    assertEquals(4, deployed.deploymentIds().size());
                    assertEquals(1, deployed.statuses().size());
                    assertEquals(
                        "MXNet " + expected.engineVersion() + " on cpu()", deployed.describe());
                  });
              // WHEN someone publishes on DISCOVER
              return firstMessage(
                      vertx,
                      WorkerAddresses.STATUS,
                      () -> vertx.eventBus().publish(WorkerAddresses.DISCOVER, WorkerDiscover.INSTANCE))
                  // Well before the 5 s heartbeat, so only the DISCOVER answer can pass.
                  .timeout(3, TimeUnit.SECONDS)
                  .compose(
                      discovered -> {
                        // THEN the worker's status arrives on STATUS
                        WorkerStatus status = discovered;
                        ctx.verify(
                            () -> {
                              assertEquals(expected, status);
                              assertEquals("MXNet", status.engine());
                              assertEquals("cpu()", status.device());
                              assertFalse(status.engineVersion().isBlank());
                              assertFalse(status.node().isBlank());
                            });
                        // AND undeploying it publishes its status on STOPPING
                        return firstMessage(
                                vertx, WorkerAddresses.STOPPING, () -> deployed.undeploy(vertx))
                            .timeout(3, TimeUnit.SECONDS);
                      })
                  .map(
                      stopping -> {
                        ctx.verify(
                            () ->
                                assertEquals(
                                    expected.workerId(), stopping.workerId()));
                        return stopping;
                      });
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Verifies that a worker republishes its status every heartbeat interval without being asked. */
  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void repeatsStatusEveryHeartbeat(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger heartbeats = new AtomicInteger();
    Checkpoint twoHeartbeats = ctx.checkpoint(2);
    Workers.deploy(vertx, "cpu", Duration.ofMillis(200), unusedPool(vertx), unusedKeys(vertx), cacheDir())
        .onComplete(
            ctx.succeeding(
                deployed ->
                    // Registered after start, so the start announcement is not counted.
                    vertx
                        .eventBus()
                        .<WorkerStatus>consumer(
                            WorkerAddresses.STATUS,
                            message -> {
                              if (heartbeats.incrementAndGet() <= 2) {
                                twoHeartbeats.flag();
                              }
                            })));
  }

  /** Verifies that asking for a GPU the engine does not see fails the deployment with the setting. */
  @Test
  void rejectsMissingGpu(Vertx vertx, VertxTestContext ctx) {
    vertx
        .executeBlocking(DjlRuntime::initialize)
        .compose(engine -> Workers.deploy(vertx, "gpu" + engine.gpuCount(), Duration.ofSeconds(5), unusedPool(vertx), unusedKeys(vertx), cacheDir()))
        .onComplete(
            ctx.failing(
                error ->
                    ctx.verify(
                        () -> {
                          assertInstanceOf(IllegalArgumentException.class, error);
                          assertTrue(
                              error.getMessage().startsWith("AIAAS_WORKER_DEVICES: gpu"),
                              error.getMessage());
                          ctx.completeNow();
                        })));
  }

  /**
   * Registers a consumer on {@code address}, runs {@code trigger} once it is registered, and
   * completes with the first body that arrives.
   */
  private static Future<WorkerStatus> firstMessage(Vertx vertx, String address, Runnable trigger) {
    Promise<WorkerStatus> first = Promise.promise();
    MessageConsumer<WorkerStatus> consumer =
        vertx.eventBus().consumer(address, message -> first.tryComplete(message.body()));
    return consumer
        .completion()
        .compose(
            registered -> {
              trigger.run();
              return first.future();
            })
        .eventually(consumer::unregister);
  }

  /** A pool that is never used here (no job runs): it connects only on first use. */
  private static java.nio.file.Path cacheDir() {
    try {
      return java.nio.file.Files.createTempDirectory("model-cache");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Data keys over the unused pool: these tests read and write no tenant data. */
  private static dev.aiaas.crypto.DataKeys unusedKeys(Vertx vertx) {
    return new dev.aiaas.crypto.DataKeys(vertx, unusedPool(vertx),
        dev.aiaas.crypto.MasterKey.loadOrCreate(cacheDir().resolve("master.key")));
  }

  private static io.vertx.sqlclient.Pool unusedPool(Vertx vertx) {
    return io.vertx.pgclient.PgBuilder.pool().connectingTo(new io.vertx.pgclient.PgConnectOptions().setPort(1)).using(vertx).build();
  }
}

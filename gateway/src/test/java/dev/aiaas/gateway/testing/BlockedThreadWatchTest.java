package dev.aiaas.gateway.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockedThreadWatchTest {

  /** Verifies that the watch the test fixture relies on does see a blocked event loop. */
  @Test
  void seesABlockedEventLoop() throws Exception {
    BlockedThreadWatch watch = BlockedThreadWatch.install();
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    try {
      vertx.runOnContext(ignored -> {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      });
      vertx.timer(400, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
    List<String> warnings = watch.uninstall();

    assertFalse(warnings.isEmpty(), "a 300 ms busy loop on the event loop is reported");
    assertTrue(warnings.get(0).contains("has been blocked"), warnings.get(0));
  }
}

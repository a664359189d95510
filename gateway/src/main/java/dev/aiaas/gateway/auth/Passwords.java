package dev.aiaas.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Password hashing off the event loop, on a pool of its own sized to the cores: a burst of
 * logins then queues here instead of starving the other blocking work (JDBC, DJL).
 */
public final class Passwords {

  private final PasswordHasher hasher = new PasswordHasher();
  private final WorkerExecutor kdf;

  public Passwords(Vertx vertx) {
    this.kdf = vertx.createSharedWorkerExecutor("aiaas-kdf", Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  public Future<String> hash(String password) {
    return kdf.executeBlocking(() -> hasher.hash(password), false);
  }

  /** Verifies against {@code stored}, or spends the same time when there is no stored hash. */
  public Future<Boolean> verify(String password, java.util.Optional<String> stored) {
    return kdf.executeBlocking(() -> {
      if (stored.isEmpty()) {
        hasher.verifyNothing(password);
        return false;
      }
      return hasher.verify(password, stored.get());
    }, false);
  }

  public Future<Void> close() {
    return kdf.close();
  }
}

package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;

/**
 * The OpenAPI contract, parsed and resolved once per process and shared by every HTTP server.
 *
 * @param downloaded the contract as clients download it (validation messages read its schemas)
 * @param resolved the copy vertx-openapi routes and validates with
 */
public record ApiContract(JsonObject downloaded, OpenAPIContract resolved) {

  /**
   * Parses and resolves {@code yaml} on a worker thread. Reading the YAML and validating it
   * against the OpenAPI meta-schema takes long enough (hundreds of milliseconds, seconds on a busy
   * machine) to trip the blocked-thread checker if an event loop did it; vertx-openapi continues
   * on the context it starts from, so it is started from a worker context.
   */
  public static Future<ApiContract> load(Vertx vertx, Buffer yaml) {
    ContextInternal worker = ((VertxInternal) vertx).createWorkerContext();
    Promise<ApiContract> loaded = Promise.promise();
    worker.runOnContext(v -> {
      try {
        JsonObject downloaded = ContractLoader.parse(yaml);
        ContractLoader.load(vertx, downloaded).map(resolved -> new ApiContract(downloaded, resolved)).onComplete(loaded);
      } catch (RuntimeException e) {
        loaded.fail(e);
      }
    });
    return loaded.future();
  }
}

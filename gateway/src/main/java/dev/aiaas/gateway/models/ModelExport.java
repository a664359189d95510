package dev.aiaas.gateway.models;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.http.ReplyHooks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/models/{name}/versions/{v}/artifact}: a version as a self-contained zip, so a
 * tenant can run its model without the platform. The call is audited and its usage made durable
 * before the first byte; then the parameters stream chunk by chunk from PostgreSQL, compressed on
 * a worker thread, waiting for the client whenever its buffer is full.
 */
public final class ModelExport {

  private static final Logger LOG = LoggerFactory.getLogger(ModelExport.class);

  private final Vertx vertx;
  private final ModelStore models;
  private final AuditLog audit;

  public ModelExport(Vertx vertx, ModelStore models, AuditLog audit) {
    this.vertx = vertx;
    this.models = models;
    this.audit = audit;
  }

  void handle(RoutingContext ctx) {
    Principal principal = Principals.of(ctx);
    String name = ctx.pathParam("name");
    int version = Integer.parseInt(ctx.pathParam("version")); // the contract validated it
    models.version(principal.tenant(), name, version)
        .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
            ApiException.notFound("model '" + name + "' has no version " + version))))
        .compose(stored -> audit.record(AuditLog.event(ctx, principal, "model.exported").target("model:" + name)
                .detail("version", version).detail("artifact_bytes", stored.artifactBytes()))
            .compose(v -> ReplyHooks.run(ctx, Reply.ok(null)))
            .map(metered -> stored))
        .onFailure(ctx::fail)
        .onSuccess(stored -> {
          HttpServerResponse response = ctx.response().setChunked(true)
              .putHeader("Content-Type", "application/zip")
              .putHeader("Content-Disposition", "attachment; filename=\"" + fileName(name) + "-v" + version + ".zip\"");
          ModelArchive archive = new ModelArchive();
          blocking(() -> archive.begin(stored))
              .compose(head -> send(response, head))
              .compose(v -> sendParameters(response, archive, stored, 0))
              .onFailure(failure -> {
                LOG.warn("export of model '{}' version {} broke off: {}", name, version, failure.getMessage());
                response.reset(); // the headers are gone; a cut connection tells the client the zip is incomplete
              });
        });
  }

  private Future<Void> sendParameters(HttpServerResponse response, ModelArchive archive, ModelStore.StoredVersion stored,
      int seq) {
    return models.artifactChunk(stored.id(), seq).compose(chunk -> {
      if (chunk.isPresent()) {
        return blocking(() -> archive.parameters(chunk.get()))
            .compose(bytes -> send(response, bytes))
            .compose(v -> sendParameters(response, archive, stored, seq + 1));
      }
      if (archive.parameterBytes() != stored.artifactBytes()) {
        return Future.failedFuture(new IllegalStateException("read " + archive.parameterBytes()
            + " parameter bytes, the version stores " + stored.artifactBytes()));
      }
      return blocking(archive::finish).compose(tail -> response.end(tail));
    });
  }

  /** Writes, then waits until the client has taken enough for the next write. */
  private static Future<Void> send(HttpServerResponse response, Buffer bytes) {
    if (response.closed()) {
      return Future.failedFuture(new IllegalStateException("the client went away"));
    }
    if (bytes.length() > 0) {
      response.write(bytes);
    }
    if (!response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise(); // a drain is a callback: nothing to compose
    response.drainHandler(v -> drained.tryComplete());
    response.exceptionHandler(drained::tryFail);
    return drained.future();
  }

  /** Archive steps in order on worker threads (ordered: each waits for the previous one anyway). */
  private <T> Future<T> blocking(Callable<T> step) {
    return vertx.executeBlocking(step, true);
  }

  /** The model name as a safe file name (names may hold characters a header or a file system dislikes). */
  private static String fileName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}

package dev.aiaas.gateway.batch;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.auth.Tenants;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.ChunkedDownload;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** {@code /v1/batch-predictions}: submit, list, detail, cancel, delete, and the CSV result. */
public final class BatchPredictionRoutes {

  private final BatchPredictionService service;
  private final BatchPredictionStore store;

  public BatchPredictionRoutes(BatchPredictionService service, BatchPredictionStore store) {
    this.service = service;
    this.store = store;
  }

  public void register(Operations operations) {
    operations
        .handle("createBatchPrediction", Access.requires(Permission.PREDICT),
            ctx -> service.submit(Tenants.of(ctx).orElseThrow(), ctx.body().asJsonObject()).map(Reply::accepted))
        .handle("listBatchPredictions", Access.requires(Permission.READ), ctx -> service.list(Principals.of(ctx).tenant()).map(Reply::list))
        .handle("getBatchPrediction", Access.requires(Permission.READ), ctx -> service.get(Principals.of(ctx).tenant(), id(ctx)).map(Reply::ok))
        .handle("deleteBatchPrediction", Access.requires(Permission.PREDICT),
            ctx -> service.delete(Principals.of(ctx).tenant(), id(ctx)).map(v -> Reply.noContent()))
        .handle("cancelBatchPrediction", Access.requires(Permission.PREDICT),
            ctx -> service.cancel(Principals.of(ctx).tenant(), id(ctx)).map(Reply::ok))
        .raw("getBatchPredictionResult", Access.requires(Permission.READ), this::result);
  }

  /** Streams the CSV chunk by chunk from PostgreSQL, waiting for the client when its buffer is full. */
  private void result(RoutingContext ctx) {
    UUID id = id(ctx);
    service.get(Principals.of(ctx).tenant(), id).compose(job -> "succeeded".equals(job.getString("state"))
            ? Future.succeededFuture(job)
            : Future.failedFuture(ApiException.conflict("result-not-ready", "batch prediction " + id + " is "
                + job.getString("state") + "; its result is ready once it has succeeded")))
        .onFailure(ctx::fail)
        .onSuccess(job -> {
          ctx.response().setChunked(true)
              .putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"predictions-" + id + ".csv\"");
          UUID tenantId = Principals.of(ctx).tenant();
          ChunkedDownload.send(ctx, seq -> store.resultChunk(tenantId, id, seq));
        });
  }

  private static UUID id(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("id"));
  }
}

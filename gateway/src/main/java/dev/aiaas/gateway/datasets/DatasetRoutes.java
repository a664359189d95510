package dev.aiaas.gateway.datasets;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.auth.Tenants;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.ChunkedDownload;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.gateway.metering.StorageMeter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** {@code /v1/datasets}: streamed upload, list, detail, content download, delete. */
public final class DatasetRoutes {

  private final DatasetService datasets;
  private final DatasetStore store;
  private final StorageMeter storage;

  public DatasetRoutes(DatasetService datasets, DatasetStore store, StorageMeter storage) {
    this.datasets = datasets;
    this.store = store;
    this.storage = storage;
  }

  public void register(Operations operations) {
    operations
        .streaming("createDataset", Access.requires(Permission.TRAIN), this::upload)
        .handle("listDatasets", Access.requires(Permission.READ), ctx -> store.list(Principals.of(ctx).tenant())
            .map(list -> Reply.list(list.stream().map(Dataset::summary).toList())))
        .handle("getDataset", Access.requires(Permission.READ), ctx -> store.detail(Principals.of(ctx).tenant(), id(ctx))
            .map(found -> Reply.ok(found.orElseThrow(() -> notFound(ctx)).detail())))
        .handle("deleteDataset", Access.requires(Permission.TRAIN), ctx -> store.delete(Principals.of(ctx).tenant(), id(ctx))
            .compose(deleted -> deleted ? storage.sample(Principals.of(ctx).tenant()) : Future.failedFuture(notFound(ctx)))
            .map(sampled -> Reply.noContent()))
        .raw("getDatasetContent", Access.requires(Permission.READ), this::content);
  }

  /** The file as uploaded, opened chunk by chunk; a chunk that fails authentication answers 500 {@code stored-data-corrupt}. */
  private void content(RoutingContext ctx) {
    UUID tenantId = Principals.of(ctx).tenant();
    UUID id = id(ctx);
    store.byId(tenantId, id)
        .onFailure(ctx::fail)
        .onSuccess(found -> {
          if (found.isEmpty()) {
            ctx.fail(notFound(ctx));
            return;
          }
          boolean csv = "csv".equals(found.get().format());
          ctx.response().setChunked(true)
              .putHeader("Content-Type", csv ? "text/csv; charset=utf-8" : "application/zip")
              .putHeader("Content-Disposition", "attachment; filename=\"dataset-" + id + (csv ? ".csv" : ".zip") + "\"");
          ChunkedDownload.send(ctx, seq -> store.chunk(tenantId, id, seq));
        });
  }

  /** Query parameters are checked here: the body streams, so the contract validator does not run. */
  private Future<Reply> upload(RoutingContext ctx) {
    String name = ctx.request().getParam("name");
    String format = ctx.request().getParam("format", "csv");
    if (name == null || name.isBlank() || name.length() > 200) {
      return Future.failedFuture(ApiException.badRequest("validation-failed", "name: required, 1 to 200 characters")
          .withFieldErrors(new JsonArray().add(new JsonObject().put("field", "name").put("message", "required, 1 to 200 characters"))));
    }
    if (!format.equals("csv") && !format.equals("images")) {
      return Future.failedFuture(ApiException.badRequest("validation-failed", "format: must be csv or images")
          .withFieldErrors(new JsonArray().add(new JsonObject().put("field", "format").put("message", "must be csv or images"))));
    }
    return datasets.upload(Tenants.of(ctx).orElseThrow(), name, format, ctx.request()).map(d -> Reply.created(d.detail()));
  }

  private static UUID id(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("id"));
  }

  private static ApiException notFound(RoutingContext ctx) {
    return ApiException.notFound("no dataset with id " + ctx.pathParam("id"));
  }
}

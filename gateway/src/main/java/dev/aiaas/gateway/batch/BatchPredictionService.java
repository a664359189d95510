package dev.aiaas.gateway.batch;

import dev.aiaas.gateway.datasets.Dataset;
import dev.aiaas.gateway.datasets.DatasetStore;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.gateway.quota.QuotaLedger;
import dev.aiaas.gateway.tenants.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Submitting, reading and cancelling batch predictions. */
public final class BatchPredictionService {

  private final Pool pool;
  private final BatchPredictionStore jobs;
  private final DatasetStore datasets;
  private final QuotaLedger quotas;
  private final JobDispatcher dispatcher;
  private final BatchTracker tracker;
  private final StorageMeter storage;

  public BatchPredictionService(Pool pool, BatchPredictionStore jobs, DatasetStore datasets, QuotaLedger quotas, JobDispatcher dispatcher,
      BatchTracker tracker, StorageMeter storage) {
    this.pool = pool;
    this.jobs = jobs;
    this.datasets = datasets;
    this.quotas = quotas;
    this.dispatcher = dispatcher;
    this.tracker = tracker;
    this.storage = storage;
  }

  /**
   * Queues a prediction of every row of a dataset by a model version: the one given, else the
   * deployed one, else the latest. The dataset must fit the model (its columns, or images for an
   * image model) and the tenant's {@code predictions} quota must have room for every row.
   */
  public Future<JsonObject> submit(Tenant tenant, JsonObject request) {
    String name = request.getString("model");
    Optional<Integer> version = Optional.ofNullable(request.getInteger("version"));
    UUID datasetId = UUID.fromString(request.getString("dataset_id"));
    return version(tenant.id(), name, version).compose(model -> datasets.byId(tenant.id(), datasetId)
        .map(found -> found.orElseThrow(() -> ApiException.notFound("no dataset with id " + datasetId)))
        .compose(dataset -> {
          checkFits(model, dataset);
          long rows = dataset.rows() == null ? 0 : dataset.rows();
          // Checked, not held: the rows are metered when the job finishes (see the README on quotas).
          return quotas.reserve(tenant, Metric.PREDICTIONS, rows).compose(reservation -> {
            reservation.release();
            return jobs.insert(tenant.id(), model.getUUID("id"), name, model.getInteger("version"), datasetId, rows)
                .recover(failure -> Future.failedFuture(isForeignKeyViolation(failure)
                    // the version was deleted between its lookup and the insert
                    ? ApiException.notFound("model '" + name + "' version " + model.getInteger("version") + " was deleted")
                    : failure));
          });
        }))
        .onSuccess(job -> dispatcher.kick());
  }

  private Future<Row> version(UUID tenantId, String name, Optional<Integer> version) {
    return pool.preparedQuery("""
            SELECT m.id, m.version, m.architecture, m.preprocessing -> 'features' AS features
            FROM models m LEFT JOIN deployments d ON d.tenant_id = m.tenant_id AND d.model_name = m.name
            WHERE m.tenant_id = $1 AND m.name = $2 AND ($3::int IS NULL OR m.version = $3)
            ORDER BY (m.id = d.model_id) DESC NULLS LAST, m.version DESC LIMIT 1""")
        .execute(Tuple.of(tenantId, name, version.orElse(null)))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next())
            : Future.failedFuture(ApiException.notFound(version.isPresent()
                ? "model '" + name + "' has no version " + version.get() : "no model named '" + name + "'")));
  }

  private static boolean isForeignKeyViolation(Throwable failure) {
    return failure instanceof PgException pg && "23503".equals(pg.getSqlState());
  }

  private static void checkFits(Row model, Dataset dataset) {
    boolean imageModel = "cnn".equals(model.getString("architecture"));
    if (imageModel != "images".equals(dataset.format())) {
      throw ApiException.badRequest("dataset-mismatch", imageModel
          ? "model version " + model.getInteger("version") + " classifies images; the dataset is a " + dataset.format() + " table"
          : "model version " + model.getInteger("version") + " takes a table; the dataset holds images")
          .withFieldErrors(new JsonArray().add(new JsonObject().put("field", "dataset_id").put("message", "does not fit the model")));
    }
    if (imageModel) {
      return;
    }
    List<String> columns = dataset.schema().stream().map(c -> ((JsonObject) c).getString("name")).toList();
    List<String> missing = new ArrayList<>();
    JsonArray features = model.getJsonArray("features");
    features.forEach(f -> {
      String column = ((JsonObject) f).getString("name");
      if (!columns.contains(column)) {
        missing.add(column);
      }
    });
    if (!missing.isEmpty()) {
      throw ApiException.badRequest("dataset-mismatch", "the dataset lacks the model's input columns " + String.join(", ", missing))
          .withFieldErrors(new JsonArray().add(new JsonObject().put("field", "dataset_id")
              .put("message", "lacks columns " + String.join(", ", missing))));
    }
  }

  public Future<JsonObject> get(UUID tenantId, UUID id) {
    return jobs.get(tenantId, id).map(found -> found.orElseThrow(() -> ApiException.notFound("no batch prediction with id " + id)));
  }

  public Future<List<JsonObject>> list(UUID tenantId) {
    return jobs.list(tenantId);
  }

  /** Deletes a finished job and its result (the result counts towards storage until then); 409 while it runs. */
  public Future<Void> delete(UUID tenantId, UUID id) {
    return jobs.delete(tenantId, id).compose(deleted -> {
      if (deleted.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("no batch prediction with id " + id));
      }
      if (!deleted.get()) {
        return Future.failedFuture(ApiException.conflict("batch-prediction-active", "batch prediction " + id
            + " is queued or running; cancel it first"));
      }
      return storage.sample(tenantId);
    });
  }

  public Future<JsonObject> cancel(UUID tenantId, UUID id) {
    return jobs.cancel(tenantId, id).compose(state -> {
      if (state.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("no batch prediction with id " + id));
      }
      if ("running".equals(state.get())) {
        tracker.cancel(id);
      }
      return get(tenantId, id);
    });
  }
}

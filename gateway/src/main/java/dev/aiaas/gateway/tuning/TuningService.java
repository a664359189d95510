package dev.aiaas.gateway.tuning;

import dev.aiaas.gateway.datasets.DatasetStore;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.training.TrainingService;
import dev.aiaas.worker.training.FieldError;
import dev.aiaas.worker.training.Parsed;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Submitting, reading and cancelling tuning jobs. */
public final class TuningService {

  private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private final TuningJobStore jobs;
  private final DatasetStore datasets;
  private final TuningScheduler scheduler;

  public TuningService(io.vertx.sqlclient.Pool pool, DatasetStore datasets, TuningScheduler scheduler) {
    this.jobs = new TuningJobStore(pool);
    this.datasets = datasets;
    this.scheduler = scheduler;
  }

  /** Validates the request against its dataset, stores the job and starts its first trials. */
  public Future<JsonObject> submit(UUID tenantId, JsonObject request) {
    Parsed<TuningSpec> parsed = TuningSpec.parse(request);
    if (!parsed.isValid()) {
      return Future.failedFuture(TrainingService.invalid(parsed.errors()));
    }
    String model = request.getValue("model") instanceof String s ? s : null;
    if (model == null || !MODEL_NAME.matcher(model).matches()) {
      return Future.failedFuture(TrainingService.invalid(List.of(new FieldError("model",
          "must be 1-63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit"))));
    }
    UUID datasetId;
    try {
      datasetId = UUID.fromString(String.valueOf(request.getValue("dataset_id")));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(TrainingService.invalid(List.of(new FieldError("dataset_id", "must be a dataset id (a UUID)"))));
    }
    TuningSpec spec = parsed.value();
    return datasets.byId(tenantId, datasetId)
        .map(found -> found.orElseThrow(() -> ApiException.notFound("no dataset with id " + datasetId)))
        .compose(dataset -> {
          // Every trial's spec is checked against the dataset as a training job would be; the first stands for the rest.
          TrainingService.checkLabel(dataset, TrainingSpec.parse(spec.trialSpec(0)).orElseThrow());
          return jobs.insert(tenantId, datasetId, model, spec.toJson());
        })
        .compose(id -> scheduler.advance(id).compose(v -> get(tenantId, id)));
  }

  public Future<JsonObject> get(UUID tenantId, UUID id) {
    return jobs.byId(tenantId, id).map(found -> found.orElseThrow(() -> ApiException.notFound("no tuning job with id " + id)));
  }

  public Future<List<JsonObject>> list(UUID tenantId) {
    return jobs.list(tenantId);
  }

  /** Cancels every trial (queued at once, running within a batch); no version is registered. */
  public Future<JsonObject> cancel(UUID tenantId, UUID id) {
    return get(tenantId, id).compose(found -> scheduler.cancel(tenantId, id)).compose(v -> get(tenantId, id));
  }
}

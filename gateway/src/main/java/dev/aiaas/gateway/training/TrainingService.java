package dev.aiaas.gateway.training;

import dev.aiaas.gateway.datasets.Dataset;
import dev.aiaas.gateway.datasets.DatasetStore;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.worker.api.JobCancel;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.training.FieldError;
import dev.aiaas.worker.training.Parsed;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** Submitting, reading and cancelling training jobs. */
public final class TrainingService {

  private static final java.util.regex.Pattern MODEL_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private final Vertx vertx;
  private final TrainingJobStore jobs;
  private final DatasetStore datasets;
  private final JobDispatcher dispatcher;

  public TrainingService(Vertx vertx, TrainingJobStore jobs, DatasetStore datasets, JobDispatcher dispatcher) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.datasets = datasets;
    this.dispatcher = dispatcher;
  }

  /** Validates the request against its dataset, persists the job (queued) and dispatches it. */
  public Future<JsonObject> submit(UUID tenantId, JsonObject request) {
    JsonObject specRequest = request.copy();
    specRequest.remove("dataset_id");
    specRequest.remove("model");
    Parsed<TrainingSpec> spec = TrainingSpec.parse(specRequest);
    String model = request.getString("model");
    if (!spec.isValid()) {
      return Future.failedFuture(invalid(spec.errors()));
    }
    if (model == null || !MODEL_NAME.matcher(model).matches()) {
      return Future.failedFuture(invalid(List.of(new FieldError("model", "must be 1-63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit"))));
    }
    UUID datasetId = UUID.fromString(request.getString("dataset_id"));
    return datasets.byId(tenantId, datasetId)
        .map(found -> found.orElseThrow(() -> ApiException.notFound("no dataset with id " + datasetId)))
        .compose(dataset -> {
          checkLabel(dataset, spec.value());
          return jobs.insert(tenantId, datasetId, model, spec.value().toJson());
        })
        .onSuccess(job -> dispatcher.kick());
  }

  /** What can be checked from the stored schema; the worker checks the rest against the data. */
  public static void checkLabel(Dataset dataset, TrainingSpec spec) {
    boolean images = dataset.format().equals("images");
    if (images != spec.architecture().equals(TrainingSpec.CNN)) {
      throw invalid(List.of(new FieldError("architecture", images
          ? "an image data set trains with the cnn architecture" : "the cnn architecture needs an image data set (format=images)")));
    }
    if (images) {
      return; // the label is the folder of each image
    }
    Optional<JsonObject> column = dataset.schema().stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("name").equals(spec.label())).findFirst();
    if (column.isEmpty()) {
      String available = dataset.schema().stream().map(c -> ((JsonObject) c).getString("name")).collect(Collectors.joining(", "));
      throw invalid(List.of(new FieldError("label", "the dataset has no column '" + spec.label() + "'; its columns are " + available)));
    }
    if (spec.task().equals("regression") && !column.get().getString("type").equals("numeric")) {
      throw invalid(List.of(new FieldError("label", "regression needs a numeric label; '" + spec.label() + "' is categorical")));
    }
    if (column.get().getLong("missing", 0L) > 0) {
      throw invalid(List.of(new FieldError("label", "'" + spec.label() + "' has " + column.get().getLong("missing") + " missing values")));
    }
    if (dataset.schema().size() < 2) {
      throw invalid(List.of(new FieldError("dataset_id", "the dataset has no feature columns besides the label")));
    }
  }

  public Future<JsonObject> get(UUID tenantId, UUID id) {
    return jobs.byId(tenantId, id).map(found -> found.orElseThrow(() -> ApiException.notFound("no training job with id " + id)));
  }

  public Future<List<JsonObject>> list(UUID tenantId) {
    return jobs.list(tenantId);
  }

  /** Cancels a queued job at once; a running one stops within a batch. */
  public Future<JsonObject> cancel(UUID tenantId, UUID id) {
    return jobs.cancel(tenantId, id).compose(state -> {
      if (state.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("no training job with id " + id));
      }
      if (state.get().equals("running")) {
        vertx.eventBus().publish(TrainingAddresses.CANCEL, new JobCancel(id));
      }
      return get(tenantId, id);
    });
  }

  public Future<JsonArray> epochs(UUID id) {
    return jobs.epochs(id);
  }

  public static ApiException invalid(List<FieldError> errors) {
    JsonArray fields = new JsonArray();
    errors.forEach(e -> fields.add(new JsonObject().put("field", e.field()).put("message", e.message())));
    return ApiException.badRequest("validation-failed", errors.get(0).field() + ": " + errors.get(0).message()).withFieldErrors(fields);
  }
}

package dev.aiaas.worker.serving;

import ai.djl.Device;
import dev.aiaas.worker.images.ImageModel;
import dev.aiaas.worker.training.TabularModel;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.UUID;

/** A model version's registry row: everything but the parameters needed to rebuild it. */
public record StoredModel(UUID id, UUID tenantId, String name, int version, String architecture, JsonObject modelSpec,
    JsonObject preprocessing, List<String> labels, long artifactBytes) {

  /** The columns {@link #from(Row)} reads, for a query on {@code models m}. */
  public static final String COLUMNS =
      "m.id, m.tenant_id, m.name, m.version, m.architecture, m.model_spec, m.preprocessing, m.labels, m.artifact_bytes";

  public static StoredModel from(Row r) {
    JsonArray labels = r.getJsonArray("labels");
    return new StoredModel(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("name"), r.getInteger("version"),
        r.getString("architecture"), r.getJsonObject("model_spec"), r.getJsonObject("preprocessing"),
        labels.stream().map(String::valueOf).toList(), r.getLong("artifact_bytes"));
  }

  public boolean isImageModel() {
    return TrainingSpec.CNN.equals(architecture);
  }

  /** Rebuilds the model on {@code device} for serving. BLOCKING (native allocation). */
  public ServedModel load(byte[] parameters, Device device) {
    return isImageModel() ? ServedModel.image(loadImageModel(parameters, device)) : ServedModel.tabular(loadTabularModel(parameters, device));
  }

  /** BLOCKING; only for a model that is not {@link #isImageModel()}. */
  public TabularModel loadTabularModel(byte[] parameters, Device device) {
    return TabularModel.load(modelSpec, parameters, preprocessing, labels, device);
  }

  /** BLOCKING; only for an {@link #isImageModel()}. */
  public ImageModel loadImageModel(byte[] parameters, Device device) {
    return ImageModel.load(modelSpec, parameters, labels, device);
  }

  /** For logs: {@code churn v3}. */
  public String describe() {
    return name + " v" + version;
  }
}

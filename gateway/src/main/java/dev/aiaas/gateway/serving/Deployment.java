package dev.aiaas.gateway.serving;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a tenant's model name serves: the version, how its workers batch, and what a request
 * needs to know about the model (task, labels, input columns) without asking PostgreSQL.
 *
 * @param previousModelId the version served before the last deploy, tried while the new one loads
 * @param features the input columns with their type ({@code numeric} or {@code categorical}); empty for images
 */
public record Deployment(UUID tenantId, String name, UUID modelId, int version, Optional<UUID> previousModelId,
    Batching batching, Instant deployedAt, String task, String architecture, List<String> labels, List<Feature> features) {

  /** How the workers batch this deployment's requests, and how long a request may take. */
  public record Batching(int maxBatchSize, int maxBatchDelayMs, int maxQueue, int timeoutMs) {

    public static final Batching DEFAULTS = new Batching(32, 2, 1024, 10_000);

    /** The request's fields where given, else the defaults (ranges are checked by the contract). */
    public static Batching from(JsonObject body) {
      return new Batching(body.getInteger("max_batch_size", DEFAULTS.maxBatchSize()),
          body.getInteger("max_batch_delay_ms", DEFAULTS.maxBatchDelayMs()),
          body.getInteger("max_queue", DEFAULTS.maxQueue()), body.getInteger("timeout_ms", DEFAULTS.timeoutMs()));
    }
  }

  /** One input column of a tabular model. */
  public record Feature(String name, String type) {}

  /** The columns of {@code deployments d JOIN models m} that {@link #from(Row)} reads. */
  static final String COLUMNS = "d.tenant_id, d.model_name, d.model_id, d.version, d.previous_model_id, d.max_batch_size,"
      + " d.max_batch_delay_ms, d.max_queue, d.timeout_ms, d.deployed_at, m.task, m.architecture, m.labels,"
      + " m.preprocessing -> 'features' AS features";

  static Deployment from(Row r) {
    JsonArray features = r.getJsonArray("features");
    return new Deployment(r.getUUID("tenant_id"), r.getString("model_name"), r.getUUID("model_id"), r.getInteger("version"),
        Optional.ofNullable(r.getUUID("previous_model_id")),
        new Batching(r.getInteger("max_batch_size"), r.getInteger("max_batch_delay_ms"), r.getInteger("max_queue"),
            r.getInteger("timeout_ms")),
        r.getOffsetDateTime("deployed_at").toInstant(), r.getString("task"), r.getString("architecture"),
        r.getJsonArray("labels").stream().map(String::valueOf).toList(),
        features == null ? List.of() : features.stream().map(f -> (JsonObject) f)
            .map(f -> new Feature(f.getString("name"), f.getString("type"))).toList());
  }

  public boolean isImageModel() {
    return "cnn".equals(architecture);
  }

  public boolean isClassifier() {
    return "classification".equals(task);
  }

  /** The deployment as the API shows it; {@code state} is {@code ready} or {@code loading}. */
  public JsonObject toJson(String state) {
    return new JsonObject().put("model", name).put("version", version).put("state", state)
        .put("max_batch_size", batching.maxBatchSize()).put("max_batch_delay_ms", batching.maxBatchDelayMs())
        .put("max_queue", batching.maxQueue()).put("timeout_ms", batching.timeoutMs())
        .put("deployed_at", deployedAt.toString());
  }
}

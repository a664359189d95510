package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a succeeded training run made. The parameters are not here: the worker stored them in
 * PostgreSQL as the artifact {@code artifactId} before sending the outcome, and the gateway adopts
 * that artifact for the new model version, checking its size and SHA-256.
 *
 * @param artifactId the same for every resend of one attempt's outcome
 * @param artifactSha256 lowercase hex of the parameter bytes
 * @param labels the classes in output order (empty for regression)
 * @param bestEpoch the epoch whose parameters were kept, or null when the run kept its last one
 */
public record TrainedModel(
    UUID artifactId,
    long artifactBytes,
    String artifactSha256,
    JsonObject evaluation,
    JsonObject preprocessing,
    List<String> labels,
    int epochsRun,
    boolean stoppedEarly,
    Integer bestEpoch,
    JsonObject modelSpec) {

  public TrainedModel {
    Objects.requireNonNull(artifactId, "artifactId");
    Objects.requireNonNull(artifactSha256, "artifactSha256");
    labels = List.copyOf(labels);
  }

  static final Wire<TrainedModel> WIRE = new Wire<>(TrainedModel.class,
      (out, m) -> out.uuid(m.artifactId()).int64(m.artifactBytes()).string(m.artifactSha256()).json(m.evaluation())
          .json(m.preprocessing()).strings(m.labels()).int32(m.epochsRun()).bool(m.stoppedEarly())
          .int32(m.bestEpoch() == null ? 0 : m.bestEpoch()).json(m.modelSpec()),
      in -> new TrainedModel(in.uuid(), in.int64(), in.string(), in.jsonObject(), in.jsonObject(), in.strings(), in.int32(),
          in.bool(), orNull(in.int32()), in.jsonObject()));

  private static Integer orNull(int epoch) {
    return epoch == 0 ? null : epoch;
  }
}

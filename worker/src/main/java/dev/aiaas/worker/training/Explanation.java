package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance's integrated-gradients explanation: the prediction, the class explained (null for
 * regression), each input column's attribution in column order, the explained output (the
 * class's probability, or the value) at the instance and at the baseline, and how far the
 * attributions' sum is from their difference.
 */
public record Explanation(Prediction prediction, String target, Map<String, Double> attributions, double output,
    double baselineOutput, double completenessError) {

  public Explanation {
    attributions = Collections.unmodifiableMap(new LinkedHashMap<>(attributions));
  }

  /** The API's explanation object (the prediction as predict returns it). */
  public JsonObject toJson() {
    JsonObject byColumn = new JsonObject();
    attributions.forEach(byColumn::put);
    return new JsonObject().put("prediction", prediction.toJson()).put("target", target).put("attributions", byColumn)
        .put("baseline_output", baselineOutput).put("output", output).put("completeness_error", completenessError);
  }
}

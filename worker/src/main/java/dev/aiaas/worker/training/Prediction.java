package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a {@link TabularModel} answers for one row. */
public sealed interface Prediction permits Prediction.Classification, Prediction.Regression {

  /** {@code {"label", "probabilities": {label: p}}} or {@code {"value"}}. */
  JsonObject toJson();

  /** The most probable class and the softmax probability of every class, in label order. */
  record Classification(String label, Map<String, Double> probabilities) implements Prediction {

    public Classification {
      probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }

    /** The classification of one row of a row-major softmax output: {@code labels.size()} values from {@code offset}. */
    public static Classification of(float[] softmax, int offset, List<String> labels) {
      Map<String, Double> byLabel = new LinkedHashMap<>();
      int best = 0;
      for (int c = 0; c < labels.size(); c++) {
        byLabel.put(labels.get(c), (double) softmax[offset + c]);
        if (softmax[offset + c] > softmax[offset + best]) {
          best = c;
        }
      }
      return new Classification(labels.get(best), byLabel);
    }

    @Override
    public JsonObject toJson() {
      JsonObject probabilitiesJson = new JsonObject();
      probabilities.forEach(probabilitiesJson::put);
      return new JsonObject().put("label", label).put("probabilities", probabilitiesJson);
    }
  }

  /** The predicted value, on the label's original scale. */
  record Regression(double value) implements Prediction {

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("value", value);
    }
  }
}

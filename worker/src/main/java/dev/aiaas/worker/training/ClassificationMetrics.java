package dev.aiaas.worker.training;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How well a classifier did on labelled rows. Macro averages are over the classes that occur in the
 * true or the predicted labels (as scikit-learn does); a precision or recall with nothing to divide
 * by is 0.
 *
 * @param perClass by label, in label order
 * @param confusionMatrix rows are true labels, columns predicted labels, both in {@code labels}
 *     order
 */
public record ClassificationMetrics(
    double accuracy,
    double precisionMacro,
    double recallMacro,
    double f1Macro,
    Map<String, ClassMetrics> perClass,
    List<String> labels,
    int[][] confusionMatrix) {

  /** One class's scores; {@code support} is how many rows truly are of the class. */
  public record ClassMetrics(double precision, double recall, double f1, long support) {

    JsonObject toJson() {
      return new JsonObject()
          .put("precision", precision)
          .put("recall", recall)
          .put("f1", f1)
          .put("support", support);
    }
  }

  public JsonObject toJson() {
    JsonObject perClassJson = new JsonObject();
    perClass.forEach((label, metrics) -> perClassJson.put(label, metrics.toJson()));
    JsonArray matrix = new JsonArray();
    for (int[] row : confusionMatrix) {
      JsonArray cells = new JsonArray();
      for (int cell : row) {
        cells.add(cell);
      }
      matrix.add(cells);
    }
    return summaryJson()
        .put("per_class", perClassJson)
        .put(
            "confusion_matrix",
            new JsonObject()
                .put("labels", new JsonArray(new ArrayList<>(labels)))
                .put("matrix", matrix));
  }

  /** The headline numbers only, small enough for every progress event. */
  public JsonObject summaryJson() {
    return new JsonObject()
        .put("accuracy", accuracy)
        .put("precision_macro", precisionMacro)
        .put("recall_macro", recallMacro)
        .put("f1_macro", f1Macro);
  }
}

package dev.aiaas.worker.training;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One input column's permutation importance: how much the model's main metric on the validation
 * split drops when that column's values are shuffled across the rows (mean over the repeats, and
 * its sample standard deviation). Near 0 or negative: the model does not rely on the column.
 */
public record FeatureImportance(String feature, double importance, double std) {

  public JsonObject toJson() {
    return new JsonObject().put("feature", feature).put("importance", importance).put("std", std);
  }

  /** A ranking as stored with the version's metrics. */
  public static JsonArray toJson(List<FeatureImportance> ranking) {
    JsonArray array = new JsonArray();
    ranking.forEach(f -> array.add(f.toJson()));
    return array;
  }
}

package dev.aiaas.worker.training;

import io.vertx.core.json.JsonObject;

/**
 * How well a regressor did, on the label's original scale. R² is 1 - SSres/SStot; when the true
 * values are all equal it is 1 for a perfect fit and 0 otherwise (as scikit-learn does), never NaN.
 */
public record RegressionMetrics(double mse, double mae, double r2) {

  public JsonObject toJson() {
    return new JsonObject().put("mse", mse).put("mae", mae).put("r2", r2);
  }
}

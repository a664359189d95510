package dev.aiaas.gateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The smallest useful model for tests that are about serving, not learning: one column {@code x},
 * the label {@code pos} when it is positive and {@code neg} otherwise; a linear model learns it
 * in a few epochs.
 */
public final class SignModel {

  private SignModel() {}

  /** Uploads the data and trains version n+1 of {@code model} for the tenant of {@code owner}; fails the test if training fails. */
  public static JsonObject train(Api owner, String model) {
    Random random = new Random(4);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < 200; i++) {
      double x = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%s%n", x, x > 0 ? "pos" : "neg"));
    }
    String dataset = owner.postBytes("/v1/datasets?name=signs&format=csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
        .json().getString("id");
    String job = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", model)
        .put("task", "classification").put("label", "label").put("architecture", "linear")
        .put("hyperparameters", new JsonObject().put("epochs", 10)).put("seed", 2)).json().getString("id");
    JsonObject trained = Eventually.until(() -> owner.get("/v1/training-jobs/" + job).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(120));
    assertEquals("succeeded", trained.getString("state"), trained.encodePrettily());
    return trained;
  }
}

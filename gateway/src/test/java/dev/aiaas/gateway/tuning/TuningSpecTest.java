package dev.aiaas.gateway.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.worker.training.FieldError;
import dev.aiaas.worker.training.Parsed;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tuning request's validation, and how trials draw their values from the search space. */
class TuningSpecTest {

  private static JsonObject request() {
    return new JsonObject().put("dataset_id", "00000000-0000-0000-0000-000000000001").put("model", "m")
        .put("task", "classification").put("label", "y").put("seed", 7)
        .put("search_space", new JsonObject()
            .put("learning_rate", new JsonObject().put("log_uniform", new JsonArray().add(1e-4).add(1e-1)))
            .put("batch_size", new JsonObject().put("int", new JsonArray().add(8).add(64)))
            .put("hidden_units", new JsonObject().put("choice", new JsonArray().add(new JsonArray().add(16)).add(new JsonArray().add(32).add(16)))));
  }

  private static List<FieldError> errors(JsonObject request) {
    Parsed<TuningSpec> parsed = TuningSpec.parse(request);
    assertFalse(parsed.isValid(), "expected errors for " + request.encode());
    return parsed.errors();
  }

  private static FieldError only(JsonObject request, String field) {
    List<FieldError> errors = errors(request);
    return errors.stream().filter(e -> e.field().equals(field)).findFirst()
        .orElseThrow(() -> new AssertionError("no error on " + field + " in " + errors));
  }

  /** Verifies that a well-formed request parses with its defaults (random, 10 trials, 1 at a time, objective f1_macro). */
  @Test
  void defaultsApply() {
    TuningSpec spec = TuningSpec.parse(request()).orElseThrow();
    assertEquals("random", spec.strategy());
    assertEquals(10, spec.maxTrials());
    assertEquals(1, spec.parallelTrials());
    assertEquals("f1_macro", spec.objective().metric());
    assertTrue(spec.objective().maximize());
    assertEquals(spec, TuningSpec.fromJson(spec.toJson()), "the stored form reads back as the same spec");
  }

  /** Verifies that an unknown hyperparameter name is refused under its search_space field, listing the searchable names. */
  @Test
  void unknownHyperparameterIsRefused() {
    JsonObject request = request();
    request.getJsonObject("search_space").put("momentum", new JsonObject().put("uniform", new JsonArray().add(0.1).add(0.9)));
    FieldError error = only(request, "search_space.momentum");
    assertTrue(error.message().contains("learning_rate"), error.message());
  }

  /** Verifies that range ends the trainer would refuse are refused up front, naming the field and the value. */
  @Test
  void valuesOutOfTheTrainersRangeAreRefused() {
    JsonObject request = request();
    request.getJsonObject("search_space").put("learning_rate", new JsonObject().put("uniform", new JsonArray().add(0.1).add(5)));
    assertTrue(only(request, "search_space.learning_rate").message().contains("5"));
    JsonObject hidden = request();
    hidden.getJsonObject("search_space").put("hidden_units", new JsonObject().put("choice", new JsonArray().add(new JsonArray())));
    only(hidden, "search_space.hidden_units");
  }

  /** Verifies that malformed domains are refused with what is expected. */
  @Test
  void malformedDomainsAreRefused() {
    for (Object domain : List.of(new JsonObject().put("log_uniform", new JsonArray().add(0).add(1)),
        new JsonObject().put("uniform", new JsonArray().add(2).add(1)),
        new JsonObject().put("int", new JsonArray().add(1.5).add(4)),
        new JsonObject().put("choice", new JsonArray()),
        new JsonObject().put("normal", new JsonArray().add(0).add(1)),
        "0.1")) {
      JsonObject request = request();
      request.getJsonObject("search_space").put("learning_rate", domain);
      only(request, "search_space.learning_rate");
    }
  }

  /** Verifies that the other fields are checked: objective vs task, strategy, trial counts, an empty space, unknown fields. */
  @Test
  void otherFieldsAreChecked() {
    assertTrue(only(request().put("objective", "r2"), "objective").message().contains("regression"));
    only(request().put("objective", "auc"), "objective");
    only(request().put("strategy", "bayes"), "strategy");
    only(request().put("max_trials", 0), "max_trials");
    only(request().put("max_trials", 101), "max_trials");
    only(request().put("parallel_trials", 11), "parallel_trials");
    only(request().put("search_space", new JsonObject()), "search_space");
    only(request().put("epochs", 3), "epochs");
    only(request().put("validation_split", 0.9), "validation_split");
    JsonObject architecture = request();
    architecture.getJsonObject("search_space").put("architecture", new JsonObject().put("choice", new JsonArray().add("mlp").add("cnn")));
    only(architecture, "search_space.architecture");
  }

  /** Verifies that a trial's values depend on the seed and its number alone, and that trials differ. */
  @Test
  void trialsAreSeeded() {
    TuningSpec spec = TuningSpec.parse(request()).orElseThrow();
    TuningSpec again = TuningSpec.parse(request()).orElseThrow();
    TuningSpec otherSeed = TuningSpec.parse(request().put("seed", 8)).orElseThrow();
    Set<JsonObject> distinct = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      assertEquals(spec.values(i), again.values(i));
      assertEquals(spec.trialSpec(i), again.trialSpec(i));
      distinct.add(spec.values(i));
      double rate = spec.values(i).getDouble("learning_rate");
      assertTrue(rate >= 1e-4 && rate <= 1e-1, "in range: " + rate);
      long batch = spec.values(i).getLong("batch_size");
      assertTrue(batch >= 8 && batch <= 64, "in range: " + batch);
      assertEquals(7, spec.trialSpec(i).getLong("seed"), "every trial trains with the tuning seed");
    }
    assertEquals(5, distinct.size());
    assertNotEquals(spec.values(0), otherSeed.values(0));
  }

  /** Verifies that grid search walks every combination once, and stops at the grid's size when max_trials is larger. */
  @Test
  void gridWalksEveryCombination() {
    JsonObject request = request().put("strategy", "grid").put("max_trials", 100);
    request.put("search_space", new JsonObject()
        .put("learning_rate", new JsonObject().put("log_uniform", new JsonArray().add(1e-3).add(1e-1)))
        .put("optimizer", new JsonObject().put("choice", new JsonArray().add("adam").add("sgd"))));
    TuningSpec spec = TuningSpec.parse(request).orElseThrow();
    assertEquals(6, spec.trials());
    Set<JsonObject> seen = new HashSet<>();
    for (int i = 0; i < spec.trials(); i++) {
      seen.add(spec.values(i));
    }
    assertEquals(6, seen.size());
    assertEquals(1e-3, spec.values(0).getDouble("learning_rate"), 1e-12);
    assertEquals(1e-2, spec.values(2).getDouble("learning_rate"), 1e-12);
  }

  /** Verifies that a searched architecture leaves hidden_units out of linear trials and that ASHA's rungs are min_epochs x 3^k. */
  @Test
  void architectureSearchAndRungs() {
    JsonObject request = request().put("max_trials", 20);
    request.getJsonObject("search_space").put("architecture", new JsonObject().put("choice", new JsonArray().add("linear").add("mlp")));
    TuningSpec spec = TuningSpec.parse(request).orElseThrow();
    boolean sawLinear = false;
    for (int i = 0; i < 20; i++) {
      JsonObject trial = spec.trialSpec(i);
      if (trial.getString("architecture").equals("linear")) {
        sawLinear = true;
        assertEquals(new JsonArray(), trial.getJsonObject("hyperparameters").getJsonArray("hidden_units"));
      }
    }
    assertTrue(sawLinear);
    TuningSpec asha = TuningSpec.parse(request().put("strategy", "asha").put("min_epochs", 2)).orElseThrow();
    assertTrue(asha.isRung(2, 20));
    assertTrue(asha.isRung(6, 20));
    assertTrue(asha.isRung(18, 20));
    assertFalse(asha.isRung(3, 20));
    assertFalse(asha.isRung(18, 18), "the last epoch is no rung");
  }
}

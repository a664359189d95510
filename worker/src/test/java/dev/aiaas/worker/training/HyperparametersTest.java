package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks defaults and validation of the hyperparameters of a training request. */
class HyperparametersTest {

  /** Verifies the defaults of a classification MLP. */
  @Test
  void classificationMlpDefaults() {
    Parsed<Hyperparameters> parsed = Hyperparameters.parse(null, "classification", "mlp");

    assertEquals(
        new Hyperparameters(
            20, 32, 0.01, "adam", "softmax_cross_entropy", 0, 0, List.of(64, 32), 0),
        parsed.value());
  }

  /** Verifies that a linear regression defaults to the l2 loss and no hidden layers. */
  @Test
  void regressionLinearDefaults() {
    Hyperparameters h =
        Hyperparameters.parse(new JsonObject(), "regression", "linear").orElseThrow();

    assertEquals("l2", h.loss());
    assertEquals(List.of(), h.hiddenUnits());
    assertEquals(20, h.epochs());
  }

  /**
   * Verifies that each out-of-range or mistyped value is reported under its own field, with the
   * rule.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "epochs        | 0         | must be between 1 and 1000",
        "epochs        | 1001      | must be between 1 and 1000",
        "epochs        | 2.5       | must be an integer",
        "epochs        | '\"20\"'  | must be an integer",
        "batch_size    | 4097      | must be between 1 and 4096",
        "learning_rate | 0         | must be greater than 0 and at most 1",
        "learning_rate | 1.5       | must be greater than 0 and at most 1",
        "learning_rate | true      | must be a number",
        "optimizer     | '\"rmsprop\"' | must be one of adam, sgd",
        "loss          | '\"hinge\"'   | must be one of softmax_cross_entropy, l2, l1",
        "l1            | -0.1      | must be between 0 and 1",
        "l2            | 1.01      | must be between 0 and 1",
        "patience      | 1001      | must be between 0 and 1000",
        "hidden_units  | 64        | must be an array of layer sizes",
      })
  void badValueNamesItsField(String key, String json, String message) {
    JsonObject hyperparameters = new JsonObject("{\"" + key + "\": " + json + "}");

    Parsed<Hyperparameters> parsed =
        Hyperparameters.parse(hyperparameters, "classification", "mlp");

    assertFalse(parsed.isValid());
    assertEquals(List.of(new FieldError("hyperparameters." + key, message)), parsed.errors());
  }

  /** Verifies that every bad field is reported at once, not only the first. */
  @Test
  void allErrorsAreReported() {
    JsonObject hyperparameters =
        new JsonObject()
            .put("epochs", 0)
            .put("batch_size", 0)
            .put("optimizer", "adagrad")
            .put("patience", -1)
            .put("hidden_units", new JsonArray().add(0).add(64).add("wide"));

    Map<String, String> errors =
        errors(Hyperparameters.parse(hyperparameters, "classification", "mlp"));

    assertEquals(
        Map.of(
            "hyperparameters.epochs", "must be between 1 and 1000",
            "hyperparameters.batch_size", "must be between 1 and 4096",
            "hyperparameters.optimizer", "must be one of adam, sgd",
            "hyperparameters.patience", "must be between 0 and 1000",
            "hyperparameters.hidden_units[0]", "must be between 1 and 4096",
            "hyperparameters.hidden_units[2]", "must be an integer"),
        errors);
  }

  /** Verifies that an integral number written as 20.0 is accepted as an integer. */
  @Test
  void integralDoubleIsAnInteger() {
    assertEquals(
        20,
        Hyperparameters.parse(new JsonObject().put("epochs", 20.0), "regression", "mlp")
            .orElseThrow()
            .epochs());
  }

  /** Verifies that an unknown key (a typo) is an error naming it, not silently ignored. */
  @Test
  void unknownKeyIsAnError() {
    Map<String, String> errors =
        errors(Hyperparameters.parse(new JsonObject().put("epoch", 5), "classification", "mlp"));

    assertEquals(List.of("hyperparameters.epoch"), List.copyOf(errors.keySet()));
    assertTrue(errors.get("hyperparameters.epoch").contains("epochs"), errors.toString());
  }

  /** Verifies that a regression loss is refused for classification and vice versa. */
  @Test
  void lossMustSuitTheTask() {
    Map<String, String> classification =
        errors(Hyperparameters.parse(new JsonObject().put("loss", "l2"), "classification", "mlp"));
    Map<String, String> regression =
        errors(
            Hyperparameters.parse(
                new JsonObject().put("loss", "softmax_cross_entropy"), "regression", "mlp"));

    assertEquals(
        "l2 is a regression loss; classification uses softmax_cross_entropy",
        classification.get("hyperparameters.loss"));
    assertEquals(
        "softmax_cross_entropy is a classification loss; regression uses l2 or l1",
        regression.get("hyperparameters.loss"));
    assertEquals(
        "l1",
        Hyperparameters.parse(new JsonObject().put("loss", "l1"), "regression", "linear")
            .orElseThrow()
            .loss());
  }

  /** Verifies that hidden layers are refused for linear, and required (1 to 8) for mlp. */
  @Test
  void hiddenUnitsMustSuitTheArchitecture() {
    JsonObject layers = new JsonObject().put("hidden_units", new JsonArray().add(16));
    assertEquals(
        Map.of(
            "hyperparameters.hidden_units",
            "must be empty or absent for the linear architecture, which takes no hidden layer sizes"),
        errors(Hyperparameters.parse(layers, "classification", "linear")));
    assertEquals(
        List.of(),
        Hyperparameters.parse(
                new JsonObject().put("hidden_units", new JsonArray()), "regression", "linear")
            .orElseThrow()
            .hiddenUnits());

    JsonArray nine = new JsonArray(List.of(8, 8, 8, 8, 8, 8, 8, 8, 8));
    for (JsonArray bad : List.of(nine, new JsonArray())) {
      assertEquals(
          Map.of(
              "hyperparameters.hidden_units",
              "must list between 1 and 8 layer sizes for the mlp architecture"),
          errors(
              Hyperparameters.parse(
                  new JsonObject().put("hidden_units", bad), "classification", "mlp")));
    }
    assertEquals(
        List.of(16),
        Hyperparameters.parse(layers, "classification", "mlp").orElseThrow().hiddenUnits());
  }

  /** Verifies that an unknown task or architecture is reported rather than guessed. */
  @Test
  void unknownTaskAndArchitecture() {
    Map<String, String> errors = errors(Hyperparameters.parse(null, "clustering", "transformer"));

    assertEquals(List.of("architecture", "task"), errors.keySet().stream().sorted().toList());
  }

  /** Verifies that toJson writes every value back in a form parse reads to an equal record. */
  @Test
  void jsonRoundTrip() {
    Hyperparameters h =
        Hyperparameters.parse(
                new JsonObject()
                    .put("epochs", 7)
                    .put("optimizer", "sgd")
                    .put("l1", 0.001)
                    .put("l2", 0.0001)
                    .put("hidden_units", new JsonArray().add(8))
                    .put("patience", 3)
                    .put("learning_rate", 0.2)
                    .put("batch_size", 64),
                "classification",
                "mlp")
            .orElseThrow();

    assertEquals(h, Hyperparameters.parse(h.toJson(), "classification", "mlp").orElseThrow());
    assertEquals(64, h.toJson().getInteger("batch_size"));
  }

  /**
   * Verifies the cnn defaults: conv channels [32, 64], dropout 0.25, no augmentation, learning
   * rate 0.001; and that they round-trip through toJson, which tabular hyperparameters do without
   * the cnn keys.
   */
  @Test
  void cnnDefaults() {
    Hyperparameters cnn = Hyperparameters.defaults("classification", "cnn");

    assertEquals(List.of(32, 64), cnn.convChannels());
    assertEquals(0.25, cnn.dropout());
    assertFalse(cnn.augment());
    assertEquals(0.001, cnn.learningRate());
    assertEquals(cnn, Hyperparameters.parse(cnn.toJson(), "classification", "cnn").orElseThrow());
    assertEquals(0.01, Hyperparameters.defaults("classification", "mlp").learningRate());
    JsonObject tabular = Hyperparameters.defaults("classification", "mlp").toJson();
    assertFalse(tabular.containsKey("conv_channels") || tabular.containsKey("dropout"), tabular.encode());
    assertFalse(tabular.containsKey("augment"), tabular.encode());
  }

  /** Verifies that conv_channels, dropout and augment are read for a cnn within their bounds. */
  @Test
  void cnnSettingsAreRead() {
    Hyperparameters h =
        Hyperparameters.parse(
                new JsonObject()
                    .put("conv_channels", new JsonArray().add(8).add(16).add(256))
                    .put("dropout", 0.9)
                    .put("augment", true),
                "classification",
                "cnn")
            .orElseThrow();

    assertEquals(List.of(8, 16, 256), h.convChannels());
    assertEquals(0.9, h.dropout());
    assertTrue(h.augment());
  }

  /** Verifies that each bad cnn setting is reported under its own field, with the rule. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "conv_channels | 32               | conv_channels | must list between 1 and 3 channel counts, one per conv block",
        "conv_channels | []               | conv_channels | must list between 1 and 3 channel counts, one per conv block",
        "conv_channels | [8, 8, 8, 8]     | conv_channels | must list between 1 and 3 channel counts, one per conv block",
        "conv_channels | [32, 3]          | conv_channels[1] | must be between 4 and 256",
        "conv_channels | [32, 512]        | conv_channels[1] | must be between 4 and 256",
        "conv_channels | [\"wide\"]   | conv_channels[0] | must be an integer",
        "dropout       | 0.95             | dropout | must be between 0 and 0.9",
        "dropout       | -0.1             | dropout | must be between 0 and 0.9",
        "augment       | '\"yes\"'    | augment | must be true or false",
        "augment       | 1                | augment | must be true or false",
      })
  void badCnnSettingNamesItsField(String key, String json, String field, String message) {
    JsonObject hyperparameters = new JsonObject("{\"" + key + "\": " + json + "}");

    assertEquals(
        Map.of("hyperparameters." + field, message),
        errors(Hyperparameters.parse(hyperparameters, "classification", "cnn")));
  }

  /** Verifies that the cnn settings are refused, by name, for the tabular architectures. */
  @Test
  void cnnSettingsAreRefusedForTabularArchitectures() {
    JsonObject cnnOnly =
        new JsonObject()
            .put("conv_channels", new JsonArray().add(8))
            .put("dropout", 0.1)
            .put("augment", true);

    assertEquals(
        Map.of(
            "hyperparameters.conv_channels", "applies to the cnn architecture only, not mlp",
            "hyperparameters.dropout", "applies to the cnn architecture only, not mlp",
            "hyperparameters.augment", "applies to the cnn architecture only, not mlp"),
        errors(Hyperparameters.parse(cnnOnly, "classification", "mlp")));
  }

  private static Map<String, String> errors(Parsed<?> parsed) {
    assertFalse(parsed.isValid());
    return parsed.errors().stream()
        .collect(Collectors.toMap(FieldError::field, FieldError::message));
  }
}

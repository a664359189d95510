package dev.aiaas.gateway.models;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The README inside an export archive: what each file is and how plain DJL loads and runs it. */
final class ExportReadme {

  /** Loads a tabular archive with DJL (and the Gson that comes with it) only; the project README shows the same. */
  static final String TABULAR_SNIPPET = """
      // Maven: ai.djl:api, ai.djl.mxnet:mxnet-engine and ai.djl.mxnet:mxnet-native-mkl (DJL 0.36);
      // Gson comes with ai.djl:api. `dir` is the unzipped archive.
      JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("model_spec.json"))).getAsJsonObject();
      JsonArray features = JsonParser.parseString(Files.readString(dir.resolve("preprocessing.json")))
          .getAsJsonObject().getAsJsonArray("features");
      JsonArray labels = JsonParser.parseString(Files.readString(dir.resolve("labels.json"))).getAsJsonArray();

      // The network: Linear + ReLU per hidden layer, then a Linear output layer.
      SequentialBlock block = new SequentialBlock();
      for (JsonElement units : spec.getAsJsonArray("hidden_units")) {
        block.add(Linear.builder().setUnits(units.getAsLong()).build()).add(Activation.reluBlock());
      }
      block.add(Linear.builder().setUnits(spec.get("output_width").getAsLong()).build());

      try (Model model = Model.newInstance("exported", "MXNet");
          DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("model.params")))) {
        block.loadParameters(model.getNDManager(), in);
        model.setBlock(block);
        float[] x = encode(features, Map.of("age", 42, "plan", "pro")); // one raw row, see below
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
            NDManager rows = model.getNDManager().newSubManager()) {
          NDArray out = predictor.predict(new NDList(rows.create(x, new Shape(1, x.length)))).singletonOrThrow();
          if (spec.get("task").getAsString().equals("classification")) {
            float[] p = out.softmax(1).toFloatArray();            // probabilities in labels.json order
            System.out.println(labels.get((int) out.argMax(1).getLong(0)).getAsString());
          } else {                                                 // the network predicts the standardized label
            System.out.println(out.getFloat(0, 0) * spec.get("target_std").getAsDouble()
                + spec.get("target_mean").getAsDouble());
          }
        }
      }

      // preprocessing.json, applied as the platform does: numbers standardized (missing: 0, the mean),
      // categories one-hot in the listed order (missing: most_frequent; unseen: all zeros).
      static float[] encode(JsonArray features, Map<String, Object> row) {
        List<Float> x = new ArrayList<>();
        for (JsonElement e : features) {
          JsonObject f = e.getAsJsonObject();
          Object value = row.get(f.get("name").getAsString());
          if (f.get("type").getAsString().equals("numeric")) {
            x.add(value == null ? 0f : (float) ((((Number) value).doubleValue() - f.get("mean").getAsDouble())
                / f.get("std").getAsDouble()));
          } else {
            String category = value != null ? value.toString()
                : f.get("most_frequent").isJsonNull() ? null : f.get("most_frequent").getAsString();
            for (JsonElement c : f.getAsJsonArray("categories")) {
              x.add(c.getAsString().equals(category) ? 1f : 0f);
            }
          }
        }
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = x.get(i);
        }
        return out;
      }
      """;

  private ExportReadme() {}

  static String of(ModelStore.StoredVersion version) {
    StringBuilder text = new StringBuilder();
    text.append("# ").append(version.name()).append(", version ").append(version.version()).append("\n\n")
        .append("A ").append(version.task()).append(" model (").append(version.architecture())
        .append(") exported from aiaas on its own: everything needed to run it with DJL, no platform code.\n\n")
        .append("| file | what |\n|---|---|\n")
        .append("| `").append(ModelArchive.PARAMETERS).append("` | the trained parameters, in DJL's `Block.saveParameters` encoding"
            + " (load with `block.loadParameters`) |\n")
        .append("| `model_spec.json` | the network description the platform rebuilds the block from |\n")
        .append("| `preprocessing.json` | how a raw input becomes the network's input |\n")
        .append("| `labels.json` | the classes in output order (empty for regression) |\n")
        .append("| `metadata.json` | name, version, metrics (with `feature_importance`), hyperparameters |\n\n");
    if (version.modelSpec().containsKey("hidden_units")) {
      text.append("Input columns, in positional order: ").append(String.join(", ", featureNames(version.preprocessing())))
          .append(".\n\n## Load and predict with plain DJL (engine ").append(version.modelSpec().getString("engine", "MXNet"))
          .append(")\n\n```java\n").append(TABULAR_SNIPPET).append("```\n");
    } else {
      text.append("`model_spec.json` describes the platform's image network (its architecture, input size and"
          + " channels, classes). Build that network as a DJL block, then load `").append(ModelArchive.PARAMETERS)
          .append("` into it with `block.loadParameters(manager, in)`; inputs are grayscale images resized to the"
          + " input size, pixels scaled to 0..1.\n");
    }
    return text.toString();
  }

  private static List<String> featureNames(JsonObject preprocessing) {
    List<String> names = new ArrayList<>();
    preprocessing.getJsonArray("features", new io.vertx.core.json.JsonArray())
        .forEach(f -> names.add(((JsonObject) f).getString("name")));
    return names;
  }
}

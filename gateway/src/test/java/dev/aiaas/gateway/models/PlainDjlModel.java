package dev.aiaas.gateway.models;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.translate.NoopTranslator;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An exported tabular model run the way the archive's README tells a tenant to: DJL and Gson only,
 * no platform class. The code follows the README snippet line for line.
 */
final class PlainDjlModel implements AutoCloseable {

  private final JsonObject spec;
  private final JsonArray features;
  private final JsonArray labels;
  private final Model model;

  PlainDjlModel(Path dir) throws Exception {
    spec = JsonParser.parseString(Files.readString(dir.resolve("model_spec.json"))).getAsJsonObject();
    features = JsonParser.parseString(Files.readString(dir.resolve("preprocessing.json")))
        .getAsJsonObject().getAsJsonArray("features");
    labels = JsonParser.parseString(Files.readString(dir.resolve("labels.json"))).getAsJsonArray();

    SequentialBlock block = new SequentialBlock();
    for (JsonElement units : spec.getAsJsonArray("hidden_units")) {
      block.add(Linear.builder().setUnits(units.getAsLong()).build()).add(Activation.reluBlock());
    }
    block.add(Linear.builder().setUnits(spec.get("output_width").getAsLong()).build());

    model = Model.newInstance("exported", "MXNet");
    try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("model.params")))) {
      block.loadParameters(model.getNDManager(), in);
    }
    model.setBlock(block);
  }

  boolean classification() {
    return spec.get("task").getAsString().equals("classification");
  }

  String label(int i) {
    return labels.get(i).getAsString();
  }

  /** One row's output: class probabilities in label order, or the predicted value. */
  float[] predict(Map<String, Object> row) throws Exception {
    float[] x = encode(features, row);
    try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        NDManager rows = model.getNDManager().newSubManager()) {
      NDArray out = predictor.predict(new NDList(rows.create(x, new Shape(1, x.length)))).singletonOrThrow();
      if (classification()) {
        return out.softmax(1).toFloatArray();
      }
      return new float[] {(float) (out.getFloat(0, 0) * spec.get("target_std").getAsDouble()
          + spec.get("target_mean").getAsDouble())};
    }
  }

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

  @Override
  public void close() {
    model.close();
  }
}

package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates the Open Inference Protocol (KServe V2) to and from the v1 predict call, so both
 * APIs run the same deployments and give the same answers.
 *
 * <p>Tabular models take either one tensor of shape {@code [N, F]} (positional rows, features in
 * model order; name it anything but a column name) or one tensor per input column, shape {@code
 * [N]} or {@code [N, 1]}, named by the column. Image models take one {@code BYTES} tensor of shape
 * {@code [N]} whose elements are base64-encoded PNG or JPEG files. Outputs: {@code label} (BYTES,
 * {@code [N]}) and {@code probabilities} (FP32, {@code [N, classes]}) for classifiers, {@code
 * value} (FP64, {@code [N]}) for regression.
 */
public final class InferenceProtocol {

  /** The platform string of model metadata. */
  static final String PLATFORM = "djl_mxnet";

  private static final Set<String> NUMERIC_TYPES = Set.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
      "INT32", "INT64", "FP16", "FP32", "FP64");

  private InferenceProtocol() {}

  /**
   * The v1 instances of an infer request.
   *
   * @throws ApiException 400 naming the input that does not fit the model
   */
  public static JsonArray instances(Deployment d, JsonObject request) {
    JsonArray inputs = request.getJsonArray("inputs");
    outputNames(d, request); // refuse unknown requested outputs before any work
    if (d.isImageModel()) {
      if (inputs.size() != 1) {
        throw invalid("inputs", "an image model takes one BYTES tensor of base64-encoded images, got " + inputs.size() + " tensors");
      }
      Tensor t = tensor(inputs.getJsonObject(0), 0);
      if (!"BYTES".equals(t.datatype()) || t.rows() < 0 || t.width() != 1) {
        throw invalid("inputs[0]", "an image model takes a BYTES tensor of shape [N] (base64-encoded PNG or JPEG)");
      }
      JsonArray instances = new JsonArray();
      t.values().forEach(v -> instances.add(new JsonObject().put("b64", v)));
      return instances;
    }
    List<String> columns = d.features().stream().map(Deployment.Feature::name).toList();
    JsonObject first = inputs.getJsonObject(0);
    if (inputs.size() == 1 && !columns.contains(first.getString("name"))) {
      return positional(tensor(first, 0), columns);
    }
    return columnar(inputs, columns);
  }

  private static JsonArray positional(Tensor t, List<String> columns) {
    if (t.shape().size() != 2 || t.width() != columns.size()) {
      throw invalid("inputs[0].shape", "a tensor of positional rows has shape [N, " + columns.size() + "] (" + String.join(", ", columns)
          + "); got " + t.shape().encode() + "; or send one tensor per column, named by the column");
    }
    JsonArray instances = new JsonArray();
    for (int row = 0; row < t.rows(); row++) {
      instances.add(new JsonArray(new ArrayList<>(t.values().subList(row * t.width(), (row + 1) * t.width()))));
    }
    return instances;
  }

  private static JsonArray columnar(JsonArray inputs, List<String> columns) {
    Map<String, Tensor> byColumn = new LinkedHashMap<>();
    int rows = -1;
    for (int i = 0; i < inputs.size(); i++) {
      Tensor t = tensor(inputs.getJsonObject(i), i);
      if (!columns.contains(t.name())) {
        throw invalid("inputs[" + i + "].name", "the model has no input '" + t.name() + "'; its inputs are " + String.join(", ", columns));
      }
      if (t.width() != 1) {
        throw invalid("inputs[" + i + "].shape", "a column tensor has shape [N] or [N, 1], got " + t.shape().encode());
      }
      if (rows >= 0 && t.rows() != rows) {
        throw invalid("inputs[" + i + "].shape", "every column tensor needs the same N; " + t.rows() + " is not " + rows);
      }
      rows = t.rows();
      if (byColumn.put(t.name(), t) != null) {
        throw invalid("inputs[" + i + "].name", "input '" + t.name() + "' is given twice");
      }
    }
    for (String column : columns) {
      if (!byColumn.containsKey(column)) {
        throw invalid("inputs", "no tensor for input '" + column + "'; the model takes " + String.join(", ", columns));
      }
    }
    JsonArray instances = new JsonArray();
    for (int row = 0; row < rows; row++) {
      JsonObject instance = new JsonObject();
      for (Map.Entry<String, Tensor> e : byColumn.entrySet()) {
        instance.put(e.getKey(), e.getValue().values().get(row));
      }
      instances.add(instance);
    }
    return instances;
  }

  /** One input tensor, its data flattened row-major and checked against its shape and datatype. */
  private record Tensor(String name, JsonArray shape, String datatype, List<Object> values) {
    int rows() {
      return shape.getInteger(0);
    }

    int width() {
      int width = 1;
      for (int i = 1; i < shape.size(); i++) {
        width *= shape.getInteger(i);
      }
      return width;
    }
  }

  private static Tensor tensor(JsonObject input, int index) {
    String field = "inputs[" + index + "]";
    JsonArray shape = input.getJsonArray("shape");
    long expected = 1;
    for (int i = 0; i < shape.size(); i++) {
      int dim = shape.getInteger(i);
      if (dim < 0) {
        throw invalid(field + ".shape", "dimensions must not be negative");
      }
      expected *= dim;
    }
    if (shape.isEmpty() || expected > 1_000_000) {
      throw invalid(field + ".shape", "must have at least one dimension and at most 1000000 elements");
    }
    List<Object> values = new ArrayList<>();
    flatten(input.getJsonArray("data"), values);
    if (values.size() != expected) {
      throw invalid(field + ".data", "has " + values.size() + " elements but shape " + shape.encode() + " needs " + expected);
    }
    String datatype = input.getString("datatype");
    boolean bytes = "BYTES".equals(datatype);
    if (!bytes && !NUMERIC_TYPES.contains(datatype)) {
      throw invalid(field + ".datatype", "unsupported datatype '" + datatype + "'");
    }
    for (Object v : values) {
      boolean fits = bytes ? v instanceof String : v instanceof Number || ("BOOL".equals(datatype) && v instanceof Boolean);
      if (!fits) {
        throw invalid(field + ".data", "holds " + (v == null ? "null" : "'" + v + "'") + ", which is not " + datatype);
      }
    }
    return new Tensor(input.getString("name"), shape, datatype, values);
  }

  private static void flatten(JsonArray data, List<Object> into) {
    for (Object v : data) {
      if (v instanceof JsonArray nested) {
        flatten(nested, into);
      } else {
        into.add(v);
      }
    }
  }

  /** The infer response for the v1 predictions of {@code request}. */
  public static JsonObject response(Deployment d, PredictionClient.Answer answer, JsonObject request) {
    JsonArray predictions = answer.predictions();
    int n = predictions.size();
    JsonArray outputs = new JsonArray();
    Set<String> wanted = outputNames(d, request);
    if (d.isClassifier()) {
      JsonArray labels = new JsonArray();
      JsonArray probabilities = new JsonArray();
      for (int i = 0; i < n; i++) {
        JsonObject p = predictions.getJsonObject(i);
        labels.add(p.getString("label"));
        JsonObject byLabel = p.getJsonObject("probabilities");
        d.labels().forEach(label -> probabilities.add(byLabel.getDouble(label)));
      }
      addIf(outputs, wanted, output("label", "BYTES", new JsonArray().add(n), labels));
      addIf(outputs, wanted, output("probabilities", "FP32", new JsonArray().add(n).add(d.labels().size()), probabilities));
    } else {
      JsonArray values = new JsonArray();
      for (int i = 0; i < n; i++) {
        values.add(predictions.getJsonObject(i).getDouble("value"));
      }
      addIf(outputs, wanted, output("value", "FP64", new JsonArray().add(n), values));
    }
    JsonObject response = new JsonObject().put("model_name", d.name()).put("model_version", Integer.toString(answer.version()));
    if (request.getString("id") != null) {
      response.put("id", request.getString("id"));
    }
    JsonArray warnings = warnings(predictions);
    if (!warnings.isEmpty()) {
      response.put("parameters", new JsonObject().put("warnings", warnings));
    }
    return response.put("outputs", outputs);
  }

  /**
   * Every prediction's warnings (values answered but unknown to the model), in row order. V2 has
   * no per-row fields, so they go to the response's {@code parameters}; each names its row as
   * {@code instances[i]}.
   */
  private static JsonArray warnings(JsonArray predictions) {
    JsonArray all = new JsonArray();
    for (int i = 0; i < predictions.size(); i++) {
      JsonArray w = predictions.getJsonObject(i).getJsonArray("warnings");
      if (w != null) {
        all.addAll(w);
      }
    }
    return all;
  }

  private static void addIf(JsonArray outputs, Set<String> wanted, JsonObject output) {
    if (wanted.contains(output.getString("name"))) {
      outputs.add(output);
    }
  }

  private static JsonObject output(String name, String datatype, JsonArray shape, JsonArray data) {
    return new JsonObject().put("name", name).put("datatype", datatype).put("shape", shape).put("data", data);
  }

  private static List<String> outputsOf(Deployment d) {
    return d.isClassifier() ? List.of("label", "probabilities") : List.of("value");
  }

  /** The outputs the request asks for (all when it names none). */
  private static Set<String> outputNames(Deployment d, JsonObject request) {
    JsonArray requested = request.getJsonArray("outputs");
    if (requested == null || requested.isEmpty()) {
      return Set.copyOf(outputsOf(d));
    }
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < requested.size(); i++) {
      String name = requested.getJsonObject(i).getString("name");
      if (!outputsOf(d).contains(name)) {
        throw invalid("outputs[" + i + "].name", "the model has no output '" + name + "'; its outputs are " + String.join(", ", outputsOf(d)));
      }
      names.add(name);
    }
    return names;
  }

  /** Model metadata: name, versions, platform, and the input and output tensors. */
  public static JsonObject metadata(Deployment d) {
    JsonArray inputs = new JsonArray();
    if (d.isImageModel()) {
      inputs.add(new JsonObject().put("name", "image").put("datatype", "BYTES").put("shape", new JsonArray().add(-1)));
    } else {
      d.features().forEach(f -> inputs.add(new JsonObject().put("name", f.name())
          .put("datatype", "numeric".equals(f.type()) ? "FP64" : "BYTES").put("shape", new JsonArray().add(-1))));
    }
    JsonArray outputs = new JsonArray();
    if (d.isClassifier()) {
      outputs.add(new JsonObject().put("name", "label").put("datatype", "BYTES").put("shape", new JsonArray().add(-1)));
      outputs.add(new JsonObject().put("name", "probabilities").put("datatype", "FP32")
          .put("shape", new JsonArray().add(-1).add(d.labels().size())));
    } else {
      outputs.add(new JsonObject().put("name", "value").put("datatype", "FP64").put("shape", new JsonArray().add(-1)));
    }
    return new JsonObject().put("name", d.name()).put("versions", new JsonArray().add(Integer.toString(d.version())))
        .put("platform", PLATFORM).put("inputs", inputs).put("outputs", outputs);
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.badRequest("invalid-inputs", field + ": " + message)
        .withFieldErrors(new JsonArray().add(new JsonObject().put("field", field).put("message", message)));
  }
}

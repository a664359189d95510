package dev.aiaas.worker.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import dev.aiaas.worker.data.CsvTable;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;

/**
 * A trained tabular model loaded for serving: raw rows in, predictions out, each call one batched
 * forward pass. Thread-safe: calls are serialized on this model (MXNet does not promise concurrent
 * forward passes on shared parameters), each through its thread's Predictor ({@link
 * ThreadPredictors}). Holds native memory until {@link #close()}d.
 */
public final class TabularModel implements AutoCloseable {

  /** Rows per forward pass for {@link #predict(CsvTable)}, bounding native memory. */
  static final int CHUNK = 1024;

  private final Model model;
  private final ModelSpec spec;
  private final Preprocessing preprocessing;
  private final List<String> labels;
  private final ThreadPredictors predictors;
  private boolean closed;

  private TabularModel(
      Model model, ModelSpec spec, Preprocessing preprocessing, List<String> labels) {
    this.model = model;
    this.predictors = new ThreadPredictors(model, spec.classification());
    this.spec = spec;
    this.preprocessing = preprocessing;
    this.labels = List.copyOf(labels);
  }

  /**
   * Rebuilds a model from the artifact of a {@link TrainingResult}. BLOCKING (native allocation).
   *
   * @throws IllegalArgumentException if the pieces are malformed or do not belong together
   */
  public static TabularModel load(
      JsonObject modelSpec,
      byte[] parameters,
      JsonObject preprocessing,
      List<String> labels,
      Device device) {
    ModelSpec spec = ModelSpec.fromJson(modelSpec);
    Preprocessing pre = Preprocessing.fromJson(preprocessing);
    if (pre.width() != spec.inputWidth()) {
      throw new IllegalArgumentException(
          "the preprocessing produces "
              + pre.width()
              + " features but the model takes "
              + spec.inputWidth());
    }
    if (spec.classification() ? labels.size() != spec.outputWidth() : !labels.isEmpty()) {
      throw new IllegalArgumentException(
          "the model has "
              + spec.outputWidth()
              + " outputs but "
              + labels.size()
              + " labels were given for a "
              + spec.task()
              + " model");
    }
    Model model = StoredBlocks.load("tabular", device, spec.newBlock(), parameters, spec.parameterShapes());
    return new TabularModel(model, spec, pre, labels);
  }

  public String task() {
    return spec.task();
  }

  /** The classes in output order (empty for regression). */
  public List<String> labels() {
    return labels;
  }

  /** The columns a row may carry, in the order of positional rows. */
  public List<String> featureColumns() {
    return preprocessing.featureColumns();
  }

  /**
   * Predicts raw rows (column name to value; missing keys and nulls are imputed, unknown keys
   * ignored), in one forward pass.
   *
   * @throws IllegalArgumentException naming the row and column, for a value its column cannot take
   */
  public List<Prediction> predict(List<? extends Map<String, ?>> rows) {
    return predictEncoded(rows.size(), i -> preprocessing.transform(rows.get(i)));
  }

  /**
   * Predicts positional rows, one value per {@link #featureColumns() feature column}, in one pass.
   *
   * @throws IllegalArgumentException naming the row, for a row of the wrong length or a bad value
   */
  public List<Prediction> predictPositional(List<? extends List<?>> rows) {
    return predictEncoded(rows.size(), i -> preprocessing.transform(rows.get(i)));
  }

  /**
   * Encodes one raw row (see {@link #predict(List)}) into the model's input, for a caller that
   * batches rows of several requests itself.
   *
   * @throws BadValueException naming the column, for a value its column cannot take
   */
  public float[] encode(Map<String, ?> row) {
    return preprocessing.transform(row);
  }

  /** As {@link #encode(Map)}, telling {@code warnings} of every value encoded as unknown. */
  public float[] encode(Map<String, ?> row, Consumer<Preprocessing.Warning> warnings) {
    return preprocessing.transform(row, warnings);
  }

  /**
   * Encodes one positional row into the model's input.
   *
   * @throws IllegalArgumentException for a row of the wrong length or a bad value
   */
  public float[] encode(List<?> row) {
    return preprocessing.transform(row);
  }

  /** As {@link #encode(List)}, telling {@code warnings} of every value encoded as unknown. */
  public float[] encode(List<?> row, Consumer<Preprocessing.Warning> warnings) {
    return preprocessing.transform(row, warnings);
  }

  /** Predicts rows already {@link #encode encoded}, in one forward pass. */
  public List<Prediction> predictEncoded(List<float[]> rows) {
    return predictEncoded(rows.size(), rows::get);
  }

  /**
   * Predicts every row of a table (a batch prediction), {@value #CHUNK} rows per forward pass.
   *
   * @throws IllegalArgumentException if the table lacks a feature column or holds a bad value
   */
  public List<Prediction> predict(CsvTable table) {
    List<Prediction> predictions = new ArrayList<>(table.rows());
    for (int from = 0; from < table.rows(); from += CHUNK) {
      predictions.addAll(predict(table, from, Math.min(CHUNK, table.rows() - from)));
    }
    return predictions;
  }

  /**
   * Predicts {@code count} rows of a table from row {@code from}, in one forward pass.
   *
   * @throws IllegalArgumentException if the table lacks a feature column or holds a bad value
   */
  public List<Prediction> predict(CsvTable table, int from, int count) {
    return predict(table, from, count, (warning, row) -> {});
  }

  /**
   * As {@link #predict(CsvTable, int, int)}, telling {@code warnings} of every value encoded as
   * unknown, with its row's index in the table.
   */
  public List<Prediction> predict(
      CsvTable table, int from, int count, ObjIntConsumer<Preprocessing.Warning> warnings) {
    return predictEncoded(
        count,
        i -> preprocessing.transform(table, from + i, w -> warnings.accept(w, from + i)));
  }

  private List<Prediction> predictEncoded(int rows, IntFunction<float[]> row) {
    if (rows == 0) {
      return List.of();
    }
    int width = spec.inputWidth();
    float[] features = new float[Math.multiplyExact(rows, width)];
    for (int i = 0; i < rows; i++) {
      try {
        System.arraycopy(row.apply(i), 0, features, i * width, width);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("row " + i + ": " + e.getMessage(), e);
      }
    }
    float[] outputs = forward(features, rows);
    List<Prediction> predictions = new ArrayList<>(rows);
    int outputWidth = spec.outputWidth();
    for (int i = 0; i < rows; i++) {
      if (spec.classification()) {
        predictions.add(Prediction.Classification.of(outputs, i * outputWidth, labels));
      } else {
        predictions.add(
            new Prediction.Regression(outputs[i] * spec.targetStd() + spec.targetMean()));
      }
    }
    return predictions;
  }

  /**
   * Explains rows already {@link #encode encoded}: integrated gradients of the predicted class's
   * probability (or the value) from the baseline to each row, {@code steps} trapezoid steps.
   * The baseline is the all-zero encoding: every numeric column at its training mean (they are
   * standardized) and every categorical column as none of its categories. Attributions of a
   * one-hot column's features are summed into the column's. Serialized with the forward passes.
   */
  public List<Explanation> explainEncoded(List<float[]> rows, int steps) {
    List<Prediction> predictions = predictEncoded(rows);
    int[] targets = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      targets[i] = predictions.get(i) instanceof Prediction.Classification c ? labels.indexOf(c.label()) : 0;
    }
    int width = spec.inputWidth();
    IntegratedGradients.Attribution[] attributions = IntegratedGradients.attribute(rows.toArray(float[][]::new), targets,
        new float[width], steps, (values, count, rowTargets) -> predictors.exclusive(() ->
            InputGradients.of(model, values, new Shape(count, width), rowTargets, spec.classification())));
    // Regression explains the value on the label's scale: the network's output times the label's std.
    double scale = spec.classification() ? 1 : spec.targetStd();
    double shift = spec.classification() ? 0 : spec.targetMean();
    List<String> columns = preprocessing.featureColumns();
    int[] widths = preprocessing.featureWidths();
    List<Explanation> explanations = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      double[] perFeature = attributions[i].perFeature();
      Map<String, Double> byColumn = new LinkedHashMap<>();
      int offset = 0;
      for (int c = 0; c < columns.size(); c++) {
        double sum = 0;
        for (int f = offset; f < offset + widths[c]; f++) {
          sum += perFeature[f];
        }
        byColumn.put(columns.get(c), sum * scale);
        offset += widths[c];
      }
      String target = predictions.get(i) instanceof Prediction.Classification c ? c.label() : null;
      explanations.add(new Explanation(predictions.get(i), target, byColumn, attributions[i].output() * scale + shift,
          attributions[i].baselineOutput() * scale + shift, attributions[i].completenessError() * scale));
    }
    return explanations;
  }

  /** Softmax probabilities or standardized values, row-major. */
  private float[] forward(float[] features, int rows) {
    return predictors.forward(new ThreadPredictors.Input(features, new Shape(rows, spec.inputWidth())));
  }

  /** Predictors open now: one per live thread that ran a forward pass. */
  int openPredictors() {
    return predictors.open();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      predictors.close();
      model.close();
    }
  }
}

package dev.aiaas.worker.serving;

import dev.aiaas.worker.api.ExplainAnswer;
import dev.aiaas.worker.images.ImageModel;
import dev.aiaas.worker.training.BadValueException;
import dev.aiaas.worker.training.Explanation;
import dev.aiaas.worker.training.Prediction;
import dev.aiaas.worker.training.Preprocessing;
import dev.aiaas.worker.training.TabularModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * A model version loaded for serving, as the batcher sees it: each instance is encoded (and
 * checked) on its own, so one bad instance fails only its request, then encoded rows of many
 * requests run in one forward pass.
 */
public interface ServedModel extends AutoCloseable {

  /**
   * The model's input for one instance of a predict request. BLOCKING for images (decoding).
   * Values the model takes but does not know (a category never seen in training) are encoded
   * and added to {@code warnings} as {@code "<field>: <message>"}, the field relative to the
   * instance as {@link BadInstanceException#field()} is ("plan", "[2]").
   *
   * @throws BadInstanceException naming the field of the instance that is wrong
   */
  float[] encode(Object instance, List<String> warnings);

  /** One forward pass over encoded rows; not thread-safe, called by one batcher thread. */
  List<Prediction> predict(List<float[]> rows);

  /**
   * Explains encoded rows, one explanation object per row in order (see the API's {@code
   * Explanation}); not thread-safe, called by one batcher thread.
   *
   * @param steps integrated-gradients steps (tabular models)
   */
  Explained explain(List<float[]> rows, int steps);

  /** The explanations of a request's rows, with the method and the steps that made them (0 for saliency). */
  record Explained(String method, int steps, List<JsonObject> explanations) {}

  @Override
  void close();

  /** A tabular model: instances are objects of raw column values or positional arrays. */
  static ServedModel tabular(TabularModel model) {
    return new Tabular(model);
  }

  /** An image classifier: instances are {@code {"b64": "<PNG or JPEG, base64>"}}. */
  static ServedModel image(ImageModel model) {
    return new Image(model);
  }

  /** A tabular model behind the serving interface. */
  final class Tabular implements ServedModel {
    private final TabularModel model;

    Tabular(TabularModel model) {
      this.model = model;
    }

    @Override
    public float[] encode(Object instance, List<String> warnings) {
      List<String> columns = model.featureColumns();
      boolean positional = instance instanceof JsonArray;
      Consumer<Preprocessing.Warning> warn = w -> warnings.add(
          (positional ? "[" + columns.indexOf(w.column()) + "] (" + w.column() + ")" : w.column()) + ": " + w.message());
      try {
        if (instance instanceof JsonObject row) {
          for (String column : columns) {
            if (!row.containsKey(column)) {
              // Imputing a missing key would hide a misspelt column; an explicit null is imputed.
              throw new BadInstanceException(column, "is missing; the model takes " + String.join(", ", columns));
            }
          }
          return model.encode(row.getMap(), warn);
        }
        if (instance instanceof JsonArray row) {
          if (row.size() != columns.size()) {
            throw new BadInstanceException("", "has " + row.size() + " values; the model takes " + columns.size()
                + " (" + String.join(", ", columns) + ")");
          }
          return model.encode(row.getList(), warn);
        }
      } catch (BadValueException e) {
        String field = instance instanceof JsonArray ? "[" + columns.indexOf(e.column()) + "]" : e.column();
        throw new BadInstanceException(field, e.getMessage());
      }
      throw new BadInstanceException("", "must be an object of column values or an array of "
          + columns.size() + " values");
    }

    @Override
    public List<Prediction> predict(List<float[]> rows) {
      return model.predictEncoded(rows);
    }

    @Override
    public Explained explain(List<float[]> rows, int steps) {
      return new Explained(ExplainAnswer.INTEGRATED_GRADIENTS, steps,
          model.explainEncoded(rows, steps).stream().map(Explanation::toJson).toList());
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /** An image model behind the serving interface. */
  final class Image implements ServedModel {
    private final ImageModel model;

    Image(ImageModel model) {
      this.model = model;
    }

    @Override
    public float[] encode(Object instance, List<String> warnings) {
      if (!(instance instanceof JsonObject object) || !(object.getValue("b64") instanceof String b64)) {
        throw new BadInstanceException("b64", "an image instance is {\"b64\": \"<PNG or JPEG, base64-encoded>\"}");
      }
      byte[] bytes;
      try {
        bytes = Base64.getMimeDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw new BadInstanceException("b64", "is not valid base64");
      }
      BufferedImage image;
      try {
        image = ImageModel.decode(bytes);
      } catch (IllegalArgumentException e) {
        throw new BadInstanceException("b64", e.getMessage());
      }
      return model.encode(image);
    }

    @Override
    public List<Prediction> predict(List<float[]> rows) {
      return new ArrayList<>(model.predictEncoded(rows));
    }

    @Override
    public Explained explain(List<float[]> rows, int steps) {
      List<JsonObject> explanations = new ArrayList<>(rows.size());
      for (ImageModel.Saliency map : model.saliencyEncoded(rows)) {
        explanations.add(new JsonObject().put("prediction", map.prediction().toJson()).put("target", map.prediction().label())
            .put("saliency_png", Base64.getEncoder().encodeToString(map.png())));
      }
      return new Explained(ExplainAnswer.SALIENCY, 0, explanations);
    }

    @Override
    public void close() {
      model.close();
    }
  }
}

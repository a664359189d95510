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

  /**
   * Loads an image archive with DJL, Gson and java.awt only: the network is rebuilt from {@code
   * model_spec.json} (both layouts the platform has trained) and images are preprocessed as
   * {@code preprocessing.json} says; the project README shows the same.
   */
  static final String IMAGE_SNIPPET = """
      // Maven: ai.djl:api, ai.djl.mxnet:mxnet-engine and ai.djl.mxnet:mxnet-native-mkl (DJL 0.36);
      // Gson comes with ai.djl:api, images are read with java.awt. `dir` is the unzipped archive.
      JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("model_spec.json"))).getAsJsonObject();
      JsonArray labels = JsonParser.parseString(Files.readString(dir.resolve("labels.json"))).getAsJsonArray();
      int size = spec.getAsJsonObject("input").get("size").getAsInt();

      // The network, on (N, 1, size, size) inputs. "layers": "conv-bn": per conv_channels entry a 3x3
      // Conv2d (padding 1, no bias) -> BatchNorm -> ReLU -> 2x2 max pool, then Flatten -> Dropout -> Linear.
      SequentialBlock block = new SequentialBlock();
      if (spec.has("layers")) {
        for (JsonElement channels : spec.getAsJsonArray("conv_channels")) {
          block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                  .setFilters(channels.getAsInt()).optBias(false).build())
              .add(BatchNorm.builder().build())
              .add(Activation.reluBlock())
              .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        block.add(Blocks.batchFlattenBlock())
            .add(Dropout.builder().optRate(spec.get("dropout").getAsFloat()).build()); // inactive when predicting
      } else { // versions whose spec names no layers: the earlier LeNet-style layout
        block.add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(8).build()).add(Activation.reluBlock())
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build()).add(Activation.reluBlock())
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(64).build()).add(Activation.reluBlock());
      }
      block.add(Linear.builder().setUnits(spec.get("classes").getAsLong()).build());

      try (Model model = Model.newInstance("exported", "MXNet");
          DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("model.params")))) {
        block.loadParameters(model.getNDManager(), in);
        model.setBlock(block);
        float[] x = pixels(ImageIO.read(new File("digit.png")), size); // one PNG or JPEG, see below
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
            NDManager images = model.getNDManager().newSubManager()) {
          NDArray out = predictor.predict(new NDList(images.create(x, new Shape(1, 1, size, size)))).singletonOrThrow();
          float[] p = out.softmax(1).toFloatArray();              // probabilities in labels.json order
          System.out.println(labels.get((int) out.argMax(1).getLong(0)).getAsString());
        }
      }

      // preprocessing.json's steps, as the platform takes them: drawn on white, halved while a side is at
      // least twice the size, resized (bilinear), BT.601 luma rounded to 0..255, divided by 255.
      static float[] pixels(BufferedImage image, int size) {
        BufferedImage current = image;
        int width = image.getWidth();
        int height = image.getHeight();
        while (width >= size * 2 || height >= size * 2) {
          width = Math.max(size, width / 2);
          height = Math.max(size, height / 2);
          current = draw(current, width, height);
        }
        current = draw(current, size, size);
        float[] x = new float[size * size];
        for (int i = 0; i < x.length; i++) {
          int rgb = current.getRGB(i % size, i / size);
          x[i] = Math.round(0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff)) / 255f;
        }
        return x;
      }

      static BufferedImage draw(BufferedImage source, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        return target;
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
        .append("| `preprocessing.json` | how a raw input becomes the network's input (for images, each step) |\n")
        .append("| `labels.json` | the classes in output order (empty for regression) |\n")
        .append("| `metadata.json` | name, version, metrics (tabular ones with `feature_importance`), hyperparameters |\n\n");
    String engine = version.modelSpec().getString("engine", "MXNet");
    if (!image(version)) {
      text.append("Input columns, in positional order: ").append(String.join(", ", featureNames(version.preprocessing())))
          .append(".\n\n## Load and predict with plain DJL (engine ").append(engine)
          .append(")\n\n```java\n").append(TABULAR_SNIPPET).append("```\n");
    } else {
      int size = imageSize(version);
      text.append("Input: one grayscale image as a float32 tensor of shape (1, 1, ").append(size).append(", ").append(size)
          .append("), pixels in 0..1, made as `preprocessing.json`'s `steps` say (the `pixels` method below does it)."
              + " `model_spec.json` names the network's layout, its `conv_channels` and `dropout`, the input size and"
              + " channels and the number of classes; the snippet builds that network as a DJL block itself (no"
              + " platform class) and loads `").append(ModelArchive.PARAMETERS).append("` into it.\n\n")
          .append("## Load and predict with plain DJL (engine ").append(engine)
          .append(")\n\n```java\n").append(IMAGE_SNIPPET).append("```\n");
    }
    return text.toString();
  }

  /** An image classifier's version (a {@code cnn}); every other version is tabular. */
  static boolean image(ModelStore.StoredVersion version) {
    return "cnn".equals(version.architecture());
  }

  /** The side an image version's inputs are resized to. */
  static int imageSize(ModelStore.StoredVersion version) {
    return version.modelSpec().getJsonObject("input").getInteger("size");
  }

  private static List<String> featureNames(JsonObject preprocessing) {
    List<String> names = new ArrayList<>();
    preprocessing.getJsonArray("features", new io.vertx.core.json.JsonArray())
        .forEach(f -> names.add(((JsonObject) f).getString("name")));
    return names;
  }
}

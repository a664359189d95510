package dev.aiaas.gateway.models;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.translate.NoopTranslator;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An exported image classifier run the way the archive's README tells a tenant to: DJL, Gson and
 * java.awt only, no platform class. The code follows {@link ExportReadme#IMAGE_SNIPPET} line for
 * line (the block is built and the pixels made exactly as there).
 */
final class PlainDjlImageModel implements AutoCloseable {

  private final JsonArray labels;
  private final int size;
  private final Model model;

  PlainDjlImageModel(Path dir) throws Exception {
    JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("model_spec.json"))).getAsJsonObject();
    labels = JsonParser.parseString(Files.readString(dir.resolve("labels.json"))).getAsJsonArray();
    size = spec.getAsJsonObject("input").get("size").getAsInt();

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

    model = Model.newInstance("exported", "MXNet");
    try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("model.params")))) {
      block.loadParameters(model.getNDManager(), in);
    }
    model.setBlock(block);
  }

  String label(int i) {
    return labels.get(i).getAsString();
  }

  /** One image's class probabilities, in label order. */
  float[] predict(BufferedImage image) throws Exception {
    float[] x = pixels(image, size);
    try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        NDManager images = model.getNDManager().newSubManager()) {
      NDArray out = predictor.predict(new NDList(images.create(x, new Shape(1, 1, size, size)))).singletonOrThrow();
      return out.softmax(1).toFloatArray();
    }
  }

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

  @Override
  public void close() {
    model.close();
  }
}

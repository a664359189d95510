package dev.aiaas.worker.images;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import dev.aiaas.worker.training.InputGradients;
import dev.aiaas.worker.training.Prediction;
import dev.aiaas.worker.training.StoredBlocks;
import dev.aiaas.worker.training.ThreadPredictors;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A trained image classifier loaded for serving (any {@link ConvNet} layout its spec names): images in, {@link Prediction.Classification}s out,
 * {@value #CHUNK} images per forward pass. Images are preprocessed exactly as in training
 * (grayscale, resized to the spec's size, [0, 1]). Thread-safe: forward passes are serialized on
 * this model, each through its thread's Predictor ({@link ThreadPredictors}). Holds native memory until {@link #close()}d.
 */
public final class ImageModel implements AutoCloseable {

  /** Images per forward pass, bounding native memory. */
  static final int CHUNK = 256;

  private final Model model;
  private final ConvNet net;
  private final List<String> labels;
  private final ThreadPredictors predictors;
  private boolean closed;

  private ImageModel(Model model, ConvNet net, List<String> labels) {
    this.model = model;
    this.predictors = new ThreadPredictors(model, true);
    this.net = net;
    this.labels = labels;
  }

  /**
   * Rebuilds a model from the artifact of a {@link ImageTrainer} result ({@code modelSpec}, {@code
   * modelParameters}, {@code labels}). BLOCKING (native allocation).
   *
   * @throws IllegalArgumentException if the pieces are malformed or do not belong together
   */
  public static ImageModel load(
      JsonObject modelSpec, byte[] parameters, List<String> labels, Device device) {
    ConvNet net = ConvNet.fromJson(modelSpec);
    if (labels.size() != net.classes()) {
      throw new IllegalArgumentException(
          "the model has "
              + net.classes()
              + " outputs but "
              + labels.size()
              + " labels were given");
    }
    List<String> labelsCopy = List.copyOf(labels);
    Model model = StoredBlocks.load("image-cnn", device, net.newBlock(), parameters, net.parameterShapes());
    return new ImageModel(model, net, labelsCopy);
  }

  /**
   * Decodes an uploaded PNG or JPEG (at most 50 megapixels).
   *
   * @throws IllegalArgumentException "not a PNG or JPEG image" for anything else, or a message
   *     saying the image is too large
   */
  public static BufferedImage decode(byte[] pngOrJpeg) {
    return Images.decode(pngOrJpeg, Images.DEFAULT_MAX_PIXELS);
  }

  /** The classes in output order. */
  public List<String> labels() {
    return labels;
  }

  /** The side images are resized to. */
  public int size() {
    return net.size();
  }

  /** Classifies images, in order: the most probable class and every class's probability. */
  public List<Prediction.Classification> predict(List<BufferedImage> images) {
    List<float[]> pixels = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      pixels.add(encode(image));
    }
    return predictEncoded(pixels);
  }

  /** The model's input for one image: grayscale, resized, in [0, 1], exactly as in training. */
  public float[] encode(BufferedImage image) {
    return Images.pixels(image, net.size());
  }

  /** Classifies images already {@link #encode encoded}, {@value #CHUNK} per forward pass. */
  public List<Prediction.Classification> predictEncoded(List<float[]> images) {
    List<Prediction.Classification> predictions = new ArrayList<>(images.size());
    int pixels = net.size() * net.size();
    int width = labels.size();
    for (int from = 0; from < images.size(); from += CHUNK) {
      int count = Math.min(CHUNK, images.size() - from);
      float[] input = new float[count * pixels];
      for (int i = 0; i < count; i++) {
        System.arraycopy(images.get(from + i), 0, input, i * pixels, pixels);
      }
      float[] probabilities = forward(input, count);
      for (int i = 0; i < count; i++) {
        predictions.add(Prediction.Classification.of(probabilities, i * width, labels));
      }
    }
    return predictions;
  }

  /** One image's prediction and its saliency map, a grayscale PNG of the model's input size. */
  public record Saliency(Prediction.Classification prediction, byte[] png) {}

  /**
   * Saliency maps of images already {@link #encode encoded}: per pixel |d score / d pixel| of the
   * predicted class's score (its logit, which the softmax would flatten where the model is sure),
   * the maximum over channels, scaled so the image's largest is 255. Serialized with the forward
   * passes.
   */
  public List<Saliency> saliencyEncoded(List<float[]> images) {
    List<Prediction.Classification> predictions = predictEncoded(images);
    List<Saliency> maps = new ArrayList<>(images.size());
    int side = net.size();
    int pixels = side * side;
    for (int from = 0; from < images.size(); from += CHUNK) {
      int count = Math.min(CHUNK, images.size() - from);
      float[] input = new float[count * pixels];
      int[] targets = new int[count];
      for (int i = 0; i < count; i++) {
        System.arraycopy(images.get(from + i), 0, input, i * pixels, pixels);
        targets[i] = labels.indexOf(predictions.get(from + i).label());
      }
      Shape shape = net.inputShape(count);
      InputGradients.Result result = predictors.exclusive(() -> InputGradients.of(model, input, shape, targets, false));
      int channels = (int) (shape.size() / count / pixels);
      for (int i = 0; i < count; i++) {
        float[] magnitude = new float[pixels];
        for (int c = 0; c < channels; c++) {
          for (int p = 0; p < pixels; p++) {
            magnitude[p] = Math.max(magnitude[p], Math.abs(result.gradients()[(i * channels + c) * pixels + p]));
          }
        }
        maps.add(new Saliency(predictions.get(from + i), grayPng(magnitude, side)));
      }
    }
    return maps;
  }

  /** {@code values} (>= 0, row-major, {@code side} x {@code side}) as a grayscale PNG, the largest at 255. */
  static byte[] grayPng(float[] values, int side) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, v);
    }
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int p = 0; p < values.length; p++) {
      pixels[p] = (byte) (max > 0 ? Math.round(255 * values[p] / max) : 0);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return png.toByteArray();
  }

  /** Softmax probabilities, row-major. */
  private float[] forward(float[] input, int count) {
    return predictors.forward(new ThreadPredictors.Input(input, net.inputShape(count)));
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

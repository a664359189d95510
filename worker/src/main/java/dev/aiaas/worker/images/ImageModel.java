package dev.aiaas.worker.images;

import ai.djl.Device;
import ai.djl.Model;
import dev.aiaas.worker.training.Prediction;
import dev.aiaas.worker.training.StoredBlocks;
import dev.aiaas.worker.training.ThreadPredictors;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

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

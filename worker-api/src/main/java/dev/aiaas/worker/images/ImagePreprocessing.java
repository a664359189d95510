package dev.aiaas.worker.images;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What {@link Images#pixels} does to an image, written out for someone without the platform (an
 * export archive's {@code preprocessing.json}): the stored version keeps only its short form.
 */
public final class ImagePreprocessing {

  private ImagePreprocessing() {}

  /**
   * The short form a version stores ({@code resize}, {@code grayscale}, {@code scale}) plus the
   * {@code input_shape} and each step, in order, for images resized to {@code size}.
   */
  public static JsonObject describe(int size) {
    return new JsonObject()
        .put("resize", size)
        .put("grayscale", true)
        .put("scale", "0-1")
        .put("input_shape", new JsonArray().add(1).add(1).add(size).add(size))
        .put("steps", new JsonArray()
            .add("decode the PNG or JPEG and draw it on white (transparent pixels become white)")
            .add("while a side is at least twice " + size + ", halve both sides (never below " + size
                + "), bilinear, so downscaling averages")
            .add("resize to " + size + " x " + size + ", bilinear")
            .add("gray = round(0.299 R + 0.587 G + 0.114 B), 0..255 (ITU-R BT.601 luma)")
            .add("value = gray / 255, row-major, one channel: a float32 tensor of input_shape (N, 1, "
                + size + ", " + size + ")"));
  }
}

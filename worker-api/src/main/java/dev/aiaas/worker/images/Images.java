package dev.aiaas.worker.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decoding and the preprocessing shared by training and serving (no DJL). */
final class Images {

  /** The image formats accepted, as javax.imageio names them. */
  private static final Set<String> FORMATS = Set.of("png", "jpeg", "jpg");

  static final String NOT_AN_IMAGE = "not a PNG or JPEG image";

  /** The most pixels a decoded image may have unless a caller says otherwise (50 megapixels). */
  static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  private Images() {}

  /**
   * Decodes PNG or JPEG bytes, refusing an image of more than {@code maxPixels} pixels before its
   * pixels are allocated (a small file can claim a huge size).
   *
   * @throws IllegalArgumentException with a message for the uploader if the bytes are not a
   *     decodable PNG or JPEG, or the image is too large
   */
  static BufferedImage decode(byte[] bytes, long maxPixels) {
    BufferedImage image;
    try {
      image = read(bytes, maxPixels);
    } catch (TooLarge e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (IOException | RuntimeException e) {
      // corrupt data surfaces as IIOException or as runtime exceptions from the codecs
      throw new IllegalArgumentException(NOT_AN_IMAGE, e);
    }
    if (image == null) {
      throw new IllegalArgumentException(NOT_AN_IMAGE);
    }
    return image;
  }

  /** The decoded image, or null if no PNG or JPEG reader accepts the bytes. */
  private static BufferedImage read(byte[] bytes, long maxPixels) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        if (!FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
          return null;
        }
        reader.setInput(in, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
          return null;
        }
        if (width * height > maxPixels) {
          throw new TooLarge(
              "the image is "
                  + width
                  + "x"
                  + height
                  + " pixels, more than the "
                  + maxPixels
                  + " allowed");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    }
  }

  /** An image whose header claims more pixels than allowed. */
  private static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message);
    }
  }

  /**
   * The network's input for an image: {@link #grayBytes} scaled to [0, 1]. Row-major. Serving
   * uses this and training the bytes it derives from, so both see identical inputs.
   */
  static float[] pixels(BufferedImage image, int size) {
    byte[] gray = grayBytes(image, size);
    float[] out = new float[gray.length];
    for (int i = 0; i < gray.length; i++) {
      out[i] = toUnit(gray[i]);
    }
    return out;
  }

  /** One pixel of {@link #grayBytes} as the network takes it, in [0, 1]. */
  static float toUnit(byte gray) {
    return (gray & 0xff) / 255f;
  }

  /**
   * An image as one byte per pixel: composited on white (for transparency), resized to {@code
   * size x size} (halving first while it is more than twice as large, so downscaling averages
   * instead of sampling) and converted to luma (ITU-R BT.601), rounded to 0..255. Row-major. A
   * quarter of the floats' size: a training set is kept this way.
   */
  static byte[] grayBytes(BufferedImage image, int size) {
    BufferedImage current = image;
    int width = image.getWidth();
    int height = image.getHeight();
    while (width >= size * 2 || height >= size * 2) {
      width = Math.max(size, width / 2);
      height = Math.max(size, height / 2);
      current = draw(current, width, height);
    }
    BufferedImage resized = draw(current, size, size);
    byte[] out = new byte[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = resized.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        out[y * size + x] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      }
    }
    return out;
  }

  private static BufferedImage draw(BufferedImage source, int width, int height) {
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return target;
  }
}

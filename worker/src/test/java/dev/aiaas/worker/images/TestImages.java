package dev.aiaas.worker.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Drawn images and in-memory zips for the image tests. */
final class TestImages {

  private TestImages() {}

  /** A filled dark circle or square on white, of random size and position. */
  static BufferedImage shape(boolean circle, Random random, int side) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, side, side);
      int extent = side / 3 + random.nextInt(side / 2 - side / 8);
      int x = random.nextInt(side - extent + 1);
      int y = random.nextInt(side - extent + 1);
      int shade = random.nextInt(80);
      g.setColor(new Color(shade, shade, shade));
      if (circle) {
        g.fillOval(x, y, extent, extent);
      } else {
        g.fillRect(x, y, extent, extent);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code perClass} circles in circle/ and squares in square/, as PNG entries. */
  static Map<String, byte[]> shapeEntries(int perClass, long seed, int side) {
    Random random = new Random(seed);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < perClass; i++) {
      entries.put("circle/c" + i + ".png", png(shape(true, random, side)));
      entries.put("square/s" + i + ".png", png(shape(false, random, side)));
    }
    return entries;
  }

  /** Decoded shapes with their true class, alternating circle and square. */
  static List<Object[]> shapes(int perClass, long seed, int side) {
    Random random = new Random(seed);
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < perClass; i++) {
      out.add(new Object[] {"circle", shape(true, random, side)});
      out.add(new Object[] {"square", shape(false, random, side)});
    }
    return out;
  }

  /** A deflated zip of the entries, in order; a null value makes a directory entry. */
  static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        if (entry.getValue() != null) {
          zip.write(entry.getValue());
        }
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}

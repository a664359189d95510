package dev.aiaas.worker.images;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A ten-class image set drawn on the fly, hard enough that a small network does not saturate it:
 * outlined and filled figures and strokes, each at a random scale, rotation (up to 25 degrees),
 * position (several pixels off centre), stroke width and contrast, on a noisy background with a
 * faint distracting stroke. Some pairs differ only in details (ring and disc, box and block, plus
 * and cross), so telling them apart takes features a few pixels wide.
 */
final class DrawnFigures {

  static final List<String> CLASSES =
      List.of("block", "box", "chevron", "cross", "disc", "ell", "equals", "plus", "ring", "triangle");

  private DrawnFigures() {}

  /** {@code perClass} PNGs of every class, interleaved, named {@code class/i.png}. */
  static Map<String, byte[]> entries(int perClass, long seed, int side) {
    Random random = new Random(seed);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < perClass; i++) {
      for (String figure : CLASSES) {
        entries.put(figure + "/" + i + ".png", TestImages.png(draw(figure, random, side)));
      }
    }
    return entries;
  }

  /** One figure of the named class. */
  static BufferedImage draw(String figure, Random random, int side) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      int background = 170 + random.nextInt(86);
      g.setColor(new Color(background, background, background));
      g.fillRect(0, 0, side, side);
      int ink = random.nextInt(110);
      // a faint stroke anywhere, unrelated to the class
      int faint = (ink + background) / 2 + random.nextInt(Math.max(1, (background - ink) / 3));
      g.setColor(new Color(faint, faint, faint));
      g.setStroke(new BasicStroke(1f + random.nextFloat()));
      g.drawLine(random.nextInt(side), random.nextInt(side), random.nextInt(side), random.nextInt(side));

      double extent = side * (0.42 + 0.3 * random.nextDouble());
      double cx = side / 2.0 + (random.nextDouble() * 2 - 1) * side * 0.14;
      double cy = side / 2.0 + (random.nextDouble() * 2 - 1) * side * 0.14;
      AffineTransform at = new AffineTransform();
      at.translate(cx, cy);
      at.rotate(Math.toRadians((random.nextDouble() * 2 - 1) * 25));
      at.scale(extent, extent * (0.8 + 0.4 * random.nextDouble()));
      g.transform(at);
      g.setColor(new Color(ink, ink, ink));
      float width = (float) ((1.2 + 1.8 * random.nextDouble()) / extent);
      g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      paint(g, figure);
    } finally {
      g.dispose();
    }
    addNoise(image, random);
    return image;
  }

  /** Draws the figure in a unit box centred on the origin. */
  private static void paint(Graphics2D g, String figure) {
    switch (figure) {
      case "block" -> g.fill(new Rectangle2D.Double(-0.4, -0.4, 0.8, 0.8));
      case "box" -> g.draw(new Rectangle2D.Double(-0.45, -0.45, 0.9, 0.9));
      case "disc" -> g.fill(new Ellipse2D.Double(-0.42, -0.42, 0.84, 0.84));
      case "ring" -> g.draw(new Ellipse2D.Double(-0.45, -0.45, 0.9, 0.9));
      case "plus" -> {
        g.draw(line(0, -0.5, 0, 0.5));
        g.draw(line(-0.5, 0, 0.5, 0));
      }
      case "cross" -> {
        g.draw(line(-0.4, -0.4, 0.4, 0.4));
        g.draw(line(-0.4, 0.4, 0.4, -0.4));
      }
      case "equals" -> {
        g.draw(line(-0.45, -0.2, 0.45, -0.2));
        g.draw(line(-0.45, 0.2, 0.45, 0.2));
      }
      case "chevron" -> g.draw(polyline(-0.45, -0.35, 0, 0.4, 0.45, -0.35));
      case "ell" -> g.draw(polyline(-0.3, -0.5, -0.3, 0.4, 0.35, 0.4));
      case "triangle" -> {
        Path2D p = polyline(0, -0.45, 0.45, 0.4, -0.45, 0.4);
        p.closePath();
        g.draw(p);
      }
      default -> throw new IllegalArgumentException(figure);
    }
  }

  private static Path2D line(double x1, double y1, double x2, double y2) {
    return polyline(x1, y1, x2, y2);
  }

  private static Path2D polyline(double... xy) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) {
      p.lineTo(xy[i], xy[i + 1]);
    }
    return p;
  }

  /** Gaussian pixel noise (sigma 20 grey levels), clipped. */
  private static void addNoise(BufferedImage image, Random random) {
    int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    for (int i = 0; i < rgb.length; i++) {
      int v = (rgb[i] & 0xff) + (int) Math.round(random.nextGaussian() * 20);
      v = Math.max(0, Math.min(255, v));
      rgb[i] = (v << 16) | (v << 8) | v;
    }
    image.setRGB(0, 0, image.getWidth(), image.getHeight(), rgb, 0, image.getWidth());
  }
}

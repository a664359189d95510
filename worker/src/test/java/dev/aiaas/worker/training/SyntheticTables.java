package dev.aiaas.worker.training;

import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.data.DataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded, learnable tables: two numeric features on very different scales ({@code x1} around 50,
 * {@code x2} in 0..100) and a categorical one ({@code color}), about 2% of {@code x1} and of {@code
 * color} missing. The label depends on all three.
 */
final class SyntheticTables {

  /** The share of {@code x1} and of {@code color} values left out. */
  static final double MISSING = 0.02;

  static final String[] COLORS = {"red", "green", "blue"};

  private SyntheticTables() {}

  /**
   * {@code class} is low / mid / high by thresholds at -1 and 1 on a score linear in the features
   * (no row scores within 0.25 of a threshold), except that a fraction {@code noise} of the rows
   * get a class drawn at random (1.0: labels are pure noise).
   */
  static CsvTable classification(int rows, long seed, double noise) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("x1,x2,color,class\n");
    for (int i = 0; i < rows; i++) {
      Row row;
      double score;
      do { // keep a margin around the thresholds, so that a reasonable fit gets every clean row
           // right
        row = Row.draw(random);
        score = (row.x1 - 50) / 10 + (row.x2 - 50) / 25 + effect(row.color);
      } while (Math.abs(Math.abs(score) - 1) < 0.25);
      int label = score < -1 ? 0 : score < 1 ? 1 : 2;
      if (random.nextDouble() < noise) {
        label = random.nextInt(3);
      }
      csv.append(row.csv(random))
          .append(',')
          .append(new String[] {"low", "mid", "high"}[label])
          .append('\n');
    }
    return parse(csv.toString());
  }

  /** {@code y = 3 x1 - 0.5 x2 + 10 effect(color) + N(0, 2)}. */
  static CsvTable regression(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("x1,x2,color,y\n");
    for (int i = 0; i < rows; i++) {
      Row row = Row.draw(random);
      double y = 3 * row.x1 - 0.5 * row.x2 + 10 * effect(row.color) + 2 * random.nextGaussian();
      csv.append(row.csv(random))
          .append(',')
          .append(String.format(Locale.ROOT, "%.4f", y))
          .append('\n');
    }
    return parse(csv.toString());
  }

  static CsvTable parse(String csv) {
    try {
      return CsvTable.parse(
          new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), 100_000);
    } catch (DataException e) {
      throw new IllegalStateException("the generated CSV is invalid: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double effect(String color) {
    return switch (color) {
      case "red" -> 1;
      case "blue" -> -1;
      default -> 0;
    };
  }

  private record Row(double x1, double x2, String color) {

    static Row draw(Random random) {
      return new Row(
          50 + 10 * random.nextGaussian(), 100 * random.nextDouble(), COLORS[random.nextInt(3)]);
    }

    /** The features as CSV fields, some left out (the label still depends on the true value). */
    String csv(Random random) {
      String x1Field = random.nextDouble() < MISSING ? "" : String.format(Locale.ROOT, "%.3f", x1);
      String colorField = random.nextDouble() < MISSING ? "NA" : color;
      return x1Field + "," + String.format(Locale.ROOT, "%.3f", x2) + "," + colorField;
    }
  }
}

package dev.aiaas.worker.training;

import dev.aiaas.worker.data.ColumnType;
import dev.aiaas.worker.data.CsvTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns raw tabular rows into the model's input vector. Fitted on the training split only, then
 * stored with the model so that predictions accept raw rows: numeric features are standardized with
 * the training mean and standard deviation (a constant column keeps std 1) and a missing value
 * becomes the training mean; categorical features are one-hot encoded over the training categories
 * (sorted), a missing value becomes the most frequent training category and a category never seen
 * in training encodes as all zeros, which callers that pass a warning sink hear about (the answer
 * is then a guess the caller should know of). Immutable and thread-safe.
 */
public final class Preprocessing {

  /** JSON format version, stored so that a future layout can still read old models. */
  public static final int FORMAT = 1;

  /** Texts that mean "missing" (after trimming, case-insensitive), as in {@link CsvTable}. */
  static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none");

  private static final String NUMERIC = "numeric";
  private static final String CATEGORICAL = "categorical";

  /** A sink for callers that do not report warnings (training, where every row was seen). */
  static final Consumer<Warning> IGNORE_WARNINGS = w -> {};

  /**
   * A value that was encoded, but not as a known one (a category never seen in training).
   *
   * @param column the feature column
   * @param message for the sender, e.g. {@code 'enterprise' was not seen in training}
   */
  public record Warning(String column, String message) {}

  private final List<Feature> features;
  private final int width;

  private Preprocessing(List<Feature> features) {
    this.features = List.copyOf(features);
    this.width = features.stream().mapToInt(Feature::width).sum();
  }

  /**
   * Fits on {@code rows} of {@code table}, using every column except {@code label} as a feature.
   */
  public static Preprocessing fit(CsvTable table, String label, int[] rows) {
    List<Feature> features = new ArrayList<>();
    for (int c = 0; c < table.columns().size(); c++) {
      String name = table.columns().get(c);
      if (name.equals(label)) {
        continue;
      }
      features.add(
          table.schema().get(c).type() == ColumnType.NUMERIC
              ? Numeric.fit(name, table, c, rows)
              : Categorical.fit(name, table, c, rows));
    }
    return new Preprocessing(features);
  }

  /** The length of every vector this produces (the model's input width). */
  public int width() {
    return width;
  }

  /** The feature columns in input order (the order of positional rows). */
  public List<String> featureColumns() {
    return features.stream().map(Feature::name).toList();
  }

  /** How many floats each feature column encodes to, in input order (one-hot groups span several). */
  int[] featureWidths() {
    return features.stream().mapToInt(Feature::width).toArray();
  }

  /**
   * Encodes a raw row (column name to value; numbers as Number or numeric String). A missing key, a
   * null, or a missing-text ("", "NA", ...) is missing and imputed; keys that are not features (the
   * label, say) are ignored.
   *
   * @throws IllegalArgumentException naming the column, for a value its column cannot take
   */
  public float[] transform(Map<String, ?> row) {
    return transform(row, IGNORE_WARNINGS);
  }

  /** As {@link #transform(Map)}, telling {@code warnings} of every value encoded as unknown. */
  public float[] transform(Map<String, ?> row, Consumer<Warning> warnings) {
    float[] out = new float[width];
    int offset = 0;
    for (Feature feature : features) {
      feature.encode(row.get(feature.name()), out, offset, warnings);
      offset += feature.width();
    }
    return out;
  }

  /**
   * Encodes a positional row: one value per {@link #featureColumns() feature column}, in order.
   *
   * @throws IllegalArgumentException if the row has the wrong length or a value its column cannot
   *     take
   */
  public float[] transform(List<?> row) {
    return transform(row, IGNORE_WARNINGS);
  }

  /** As {@link #transform(List)}, telling {@code warnings} of every value encoded as unknown. */
  public float[] transform(List<?> row, Consumer<Warning> warnings) {
    if (row.size() != features.size()) {
      throw new IllegalArgumentException(
          "expected "
              + features.size()
              + " values ("
              + String.join(", ", featureColumns())
              + "), got "
              + row.size());
    }
    float[] out = new float[width];
    int offset = 0;
    for (int i = 0; i < features.size(); i++) {
      features.get(i).encode(row.get(i), out, offset, warnings);
      offset += features.get(i).width();
    }
    return out;
  }

  /**
   * Encodes one row of a table that has every feature column (other columns are ignored).
   *
   * @throws IllegalArgumentException naming the column, if the table lacks a feature column or
   *     holds a value its column cannot take
   */
  public float[] transform(CsvTable table, int row) {
    return transform(table, row, IGNORE_WARNINGS);
  }

  /** As {@link #transform(CsvTable, int)}, telling {@code warnings} of every value encoded as unknown. */
  public float[] transform(CsvTable table, int row, Consumer<Warning> warnings) {
    float[] out = new float[width];
    transformInto(table, columnsOf(table), row, out, 0, warnings);
    return out;
  }

  /**
   * Encodes {@code rows} of {@code table} into one row-major array of {@code rows.length *
   * width()}.
   */
  float[] transformRows(CsvTable table, int[] rows) {
    int[] columns = columnsOf(table);
    float[] out = new float[Math.multiplyExact(rows.length, width)];
    for (int i = 0; i < rows.length; i++) {
      transformInto(table, columns, rows[i], out, i * width, IGNORE_WARNINGS);
    }
    return out;
  }

  private void transformInto(
      CsvTable table, int[] columns, int row, float[] out, int offset, Consumer<Warning> warnings) {
    for (int f = 0; f < features.size(); f++) {
      Feature feature = features.get(f);
      feature.encode(table.value(row, columns[f]), out, offset, warnings);
      offset += feature.width();
    }
  }

  private int[] columnsOf(CsvTable table) {
    int[] columns = new int[features.size()];
    for (int f = 0; f < features.size(); f++) {
      columns[f] = table.columnIndex(features.get(f).name());
      if (columns[f] < 0) {
        throw new IllegalArgumentException(
            "column '"
                + features.get(f).name()
                + "' is missing; the model"
                + " needs "
                + String.join(", ", featureColumns()));
      }
    }
    return columns;
  }

  /** What is stored with the model; {@link #fromJson} reads it back into identical transforms. */
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    features.forEach(f -> array.add(f.toJson()));
    return new JsonObject().put("format", FORMAT).put("features", array);
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException if the JSON is not a preprocessing this version can read
   */
  public static Preprocessing fromJson(JsonObject json) {
    try {
      if (json.getInteger("format", -1) != FORMAT) {
        throw new IllegalArgumentException(
            "unsupported preprocessing format " + json.getValue("format"));
      }
      List<Feature> features = new ArrayList<>();
      for (Object entry : json.getJsonArray("features")) {
        JsonObject feature = (JsonObject) entry;
        String name = feature.getString("name");
        String type = feature.getString("type");
        if (name == null || type == null) {
          throw new IllegalArgumentException("a feature lacks its name or type");
        }
        if (NUMERIC.equals(type)) {
          features.add(new Numeric(name, feature.getDouble("mean"), feature.getDouble("std")));
        } else if (CATEGORICAL.equals(type)) {
          List<String> categories = new ArrayList<>();
          feature.getJsonArray("categories").forEach(c -> categories.add((String) c));
          features.add(new Categorical(name, categories, feature.getString("most_frequent")));
        } else {
          throw new IllegalArgumentException("unknown feature type '" + type + "'");
        }
      }
      return new Preprocessing(features);
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("malformed preprocessing: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Preprocessing p && p.features.equals(features);
  }

  @Override
  public int hashCode() {
    return features.hashCode();
  }

  /** One input column and how it becomes {@link #width()} floats. */
  private interface Feature {
    String name();

    int width();

    /**
     * Writes the encoding of a raw value (null when missing) at {@code out[offset...]}, telling
     * {@code warnings} if it is encoded as unknown.
     */
    void encode(Object raw, float[] out, int offset, Consumer<Warning> warnings);

    JsonObject toJson();
  }

  /** A number, standardized; missing becomes the training mean, i.e. 0. */
  private record Numeric(String name, double mean, double std) implements Feature {

    Numeric {
      if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
        throw new IllegalArgumentException("column '" + name + "' has an invalid mean or std");
      }
    }

    static Numeric fit(String name, CsvTable table, int column, int[] rows) {
      // Welford: one pass, no catastrophic cancellation on large values
      long n = 0;
      double mean = 0;
      double m2 = 0;
      for (int row : rows) {
        double x = table.number(row, column);
        if (!Double.isNaN(x)) {
          n++;
          double delta = x - mean;
          mean += delta / n;
          m2 += delta * (x - mean);
        }
      }
      double std = n > 0 ? Math.sqrt(m2 / n) : 0;
      // a constant column (or one with no training value) carries no signal; std 1 keeps it finite
      return new Numeric(name, mean, std > 0 && Double.isFinite(std) ? std : 1);
    }

    @Override
    public int width() {
      return 1;
    }

    @Override
    public void encode(Object raw, float[] out, int offset, Consumer<Warning> warnings) {
      double x = number(raw);
      out[offset] = Double.isNaN(x) ? 0f : (float) ((x - mean) / std);
    }

    /** The value as a double, NaN when missing. */
    private double number(Object raw) {
      if (raw == null) {
        return Double.NaN;
      }
      double x;
      if (raw instanceof Number number) {
        x = number.doubleValue();
        if (Double.isNaN(x)) {
          return x;
        }
      } else if (raw instanceof String text) {
        String trimmed = text.trim();
        if (MISSING.contains(trimmed.toLowerCase(Locale.ROOT))) {
          return Double.NaN;
        }
        try {
          x = Double.parseDouble(trimmed);
        } catch (NumberFormatException e) {
          throw new BadValueException(name, "must be a number, got '" + shorten(trimmed) + "'");
        }
      } else {
        throw new BadValueException(name, "must be a number, got " + describe(raw));
      }
      if (!Double.isFinite(x)) {
        throw new BadValueException(name, "must be a finite number, got " + x);
      }
      return x;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject()
          .put("name", name)
          .put("type", NUMERIC)
          .put("mean", mean)
          .put("std", std);
    }
  }

  /** A category, one-hot over the training categories. */
  private static final class Categorical implements Feature {
    private final String name;
    private final List<String> categories;
    private final String mostFrequent;
    private final Map<String, Integer> index = new HashMap<>();

    Categorical(String name, List<String> categories, String mostFrequent) {
      this.name = name;
      this.categories = List.copyOf(categories);
      this.mostFrequent = mostFrequent;
      for (int i = 0; i < categories.size(); i++) {
        if (index.put(categories.get(i), i) != null) {
          throw new IllegalArgumentException(
              "column '" + name + "' lists category '" + categories.get(i) + "' twice");
        }
      }
      if (mostFrequent != null && !index.containsKey(mostFrequent)) {
        throw new IllegalArgumentException(
            "column '" + name + "' imputes a category it does not have");
      }
    }

    static Categorical fit(String name, CsvTable table, int column, int[] rows) {
      TreeMap<String, Integer> counts = new TreeMap<>();
      for (int row : rows) {
        String value = table.value(row, column);
        if (value != null) {
          counts.merge(value, 1, Integer::sum);
        }
      }
      String mostFrequent = null;
      int best = 0;
      for (Map.Entry<String, Integer> e :
          counts.entrySet()) { // sorted, so ties go to the first name
        if (e.getValue() > best) {
          best = e.getValue();
          mostFrequent = e.getKey();
        }
      }
      return new Categorical(name, new ArrayList<>(counts.keySet()), mostFrequent);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int width() {
      return categories.size();
    }

    @Override
    public void encode(Object raw, float[] out, int offset, Consumer<Warning> warnings) {
      String category = category(raw);
      Integer i = index.get(category == null ? mostFrequent : category);
      if (i != null) {
        out[offset + i] = 1f;
      } else if (category != null) {
        // all zeros: the model answers as for none of its categories, which the caller should know
        warnings.accept(new Warning(name, "'" + shorten(category) + "' was not seen in training"));
      } else {
        warnings.accept(new Warning(name, "is missing and training had no value to impute"));
      }
    }

    /** The value as category text, null when missing. */
    private String category(Object raw) {
      if (raw == null) {
        return null;
      }
      String text;
      if (raw instanceof String s) {
        text = s.trim();
      } else if (raw instanceof Number number) {
        text = numberText(number);
      } else if (raw instanceof Boolean) {
        text = raw.toString();
      } else {
        throw new BadValueException(name, "must be a category (a string), got " + describe(raw));
      }
      return MISSING.contains(text.toLowerCase(Locale.ROOT)) ? null : text;
    }

    /** A number as a CSV would most likely spell it: 3 not 3.0. */
    private static String numberText(Number number) {
      if (number instanceof BigDecimal decimal) {
        return decimal.stripTrailingZeros().toPlainString();
      }
      if (number instanceof Double || number instanceof Float) {
        double d = number.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
          return Long.toString((long) d);
        }
        return Double.toString(d);
      }
      return number instanceof BigInteger ? number.toString() : Long.toString(number.longValue());
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject()
          .put("name", name)
          .put("type", CATEGORICAL)
          .put("categories", new JsonArray(new ArrayList<>(categories)))
          .put("most_frequent", mostFrequent);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Categorical c
          && c.name.equals(name)
          && c.categories.equals(categories)
          && Objects.equals(c.mostFrequent, mostFrequent);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(new Object[] {name, categories, mostFrequent});
    }
  }

  private static String describe(Object raw) {
    if (raw instanceof Boolean) {
      return raw.toString();
    }
    if (raw instanceof JsonObject || raw instanceof Map) {
      return "an object";
    }
    if (raw instanceof JsonArray || raw instanceof List) {
      return "an array";
    }
    return "'" + shorten(String.valueOf(raw)) + "'";
  }

  private static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}

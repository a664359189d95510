package dev.aiaas.worker.serving;

import dev.aiaas.worker.training.Prediction;
import java.util.List;
import java.util.Locale;

/**
 * The CSV of a batch prediction: one line per dataset row (or image), with the prediction and,
 * for classifiers, every class's probability; for tables, a last {@code warnings} column names the
 * row's values the model did not know (empty when none; several joined by "; "). RFC 4180: a
 * header, CRLF line ends, fields quoted where needed.
 */
final class PredictionCsv {

  private final StringBuilder out = new StringBuilder();
  private final List<String> labels;
  private final boolean withWarnings;

  /**
   * {@code key}: the first column's name ({@code row} for tables, {@code file} for images);
   * {@code withWarnings}: whether the last column is {@code warnings}.
   */
  PredictionCsv(String key, List<String> labels, boolean withWarnings) {
    this.labels = labels;
    this.withWarnings = withWarnings;
    out.append(key).append(",prediction");
    for (String label : labels) {
      out.append(',').append(quote("probability_" + label));
    }
    out.append(withWarnings ? ",warnings\r\n" : "\r\n");
  }

  void add(String key, Prediction prediction) {
    add(key, prediction, List.of());
  }

  void add(String key, Prediction prediction, List<String> warnings) {
    out.append(quote(key)).append(',');
    if (prediction instanceof Prediction.Classification c) {
      out.append(quote(c.label()));
      for (String label : labels) {
        out.append(',').append(String.format(Locale.ROOT, "%.6f", c.probabilities().get(label)));
      }
    } else if (prediction instanceof Prediction.Regression r) {
      out.append(r.value());
    }
    if (withWarnings) {
      out.append(',').append(quote(String.join("; ", warnings)));
    }
    out.append("\r\n");
  }

  int length() {
    return out.length();
  }

  /** The text so far, which is then forgotten (written out in chunks). */
  String take() {
    String text = out.toString();
    out.setLength(0);
    return text;
  }

  static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}

package dev.aiaas.worker.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tabular data set read from CSV (RFC 4180: comma separated, double quotes, a header row),
 * held column by column. Column types are inferred: a column whose present values all parse as
 * numbers is numeric, any other is categorical. Parsing is strict and every error names the line
 * and column, so a tenant can fix the file.
 */
public final class CsvTable {

  /** Values that mean "missing" (compared case-insensitively, after trimming). */
  static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none");

  /** Most distinct values a categorical column may have (beyond that it is not a category). */
  public static final int MAX_CATEGORIES = 1_000;

  private final List<String> columns;
  private final String[][] values;
  private final List<ColumnSchema> schema;

  private CsvTable(List<String> columns, String[][] values, List<ColumnSchema> schema) {
    this.columns = columns;
    this.values = values;
    this.schema = schema;
  }

  /** Reads and validates a whole CSV. {@code maxRows} bounds memory; more rows is an error. */
  public static CsvTable parse(InputStream in, int maxRows) throws DataException, IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    RecordReader records = new RecordReader(reader);
    List<String> header;
    try {
      header = records.next();
    } catch (CharacterCodingException e) {
      throw DataException.at(1, null, "the file is not UTF-8 text");
    }
    if (header == null || header.size() == 1 && header.get(0).isBlank()) {
      throw new DataException(0, Optional.empty(), "the file is empty; a CSV with a header row is expected");
    }
    List<String> columns = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim();
      if (name.isEmpty()) {
        throw DataException.at(1, null, "column " + (i + 1) + " of the header has no name");
      }
      if (!seen.add(name)) {
        throw DataException.at(1, name, "the header names column '" + name + "' twice");
      }
      columns.add(name);
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> record;
    while (true) {
      long line = records.line() + 1;
      try {
        record = records.next();
      } catch (CharacterCodingException e) {
        throw DataException.at(line, null, "line " + line + " is not UTF-8 text");
      }
      if (record == null) {
        break;
      }
      if (record.size() == 1 && record.get(0).isBlank()) {
        continue; // blank lines (typically the last) carry nothing
      }
      if (record.size() != columns.size()) {
        throw DataException.at(records.recordStartLine(), null, "line " + records.recordStartLine() + " has " + record.size()
            + " fields, the header has " + columns.size());
      }
      if (rows.size() == maxRows) {
        throw DataException.at(records.recordStartLine(), null, "more than " + maxRows + " rows");
      }
      rows.add(record);
    }
    if (rows.isEmpty()) {
      throw DataException.at(2, null, "the file has a header but no rows");
    }
    String[][] values = new String[columns.size()][rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        String v = rows.get(r).get(c).trim();
        values[c][r] = MISSING.contains(v.toLowerCase(Locale.ROOT)) ? null : v;
      }
    }
    List<ColumnSchema> schema = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      schema.add(infer(columns.get(c), values[c]));
    }
    return new CsvTable(List.copyOf(columns), values, List.copyOf(schema));
  }

  private static ColumnSchema infer(String name, String[] column) throws DataException {
    long missing = 0;
    boolean numeric = true;
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String v : column) {
      if (v == null) {
        missing++;
        continue;
      }
      if (numeric && !isNumber(v)) {
        numeric = false;
      }
      counts.merge(v, 1, Integer::sum);
    }
    if (missing == column.length) {
      throw DataException.at(2, name, "column '" + name + "' has no values");
    }
    if (numeric) {
      return new ColumnSchema(name, ColumnType.NUMERIC, missing, List.of());
    }
    if (counts.size() > MAX_CATEGORIES) {
      throw DataException.at(2, name, "column '" + name + "' is not numeric and has " + counts.size()
          + " distinct values (at most " + MAX_CATEGORIES + " categories); drop it or encode it as numbers");
    }
    List<String> categories = new ArrayList<>(counts.keySet());
    categories.sort((a, b) -> counts.get(b) - counts.get(a));
    return new ColumnSchema(name, ColumnType.CATEGORICAL, missing, List.copyOf(categories));
  }

  static boolean isNumber(String v) {
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  public List<String> columns() {
    return columns;
  }

  public int rows() {
    return values.length == 0 ? 0 : values[0].length;
  }

  public List<ColumnSchema> schema() {
    return schema;
  }

  public int columnIndex(String name) {
    return columns.indexOf(name);
  }

  /** The raw value, or null when missing. */
  public String value(int row, int column) {
    return values[column][row];
  }

  /** A numeric column's value, or NaN when missing. */
  public double number(int row, int column) {
    String v = values[column][row];
    return v == null ? Double.NaN : Double.parseDouble(v);
  }

  /** The first {@code n} rows as column name -> raw value (null when missing), for previews. */
  public List<Map<String, String>> head(int n) {
    List<Map<String, String>> head = new ArrayList<>();
    for (int r = 0; r < Math.min(n, rows()); r++) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < columns.size(); c++) {
        row.put(columns.get(c), values[c][r]);
      }
      head.add(row);
    }
    return head;
  }

  /** How often each value of a column occurs (class counts of a label), most frequent first. */
  public Map<String, Long> counts(int column) {
    Map<String, Long> counts = new HashMap<>();
    for (String v : values[column]) {
      if (v != null) {
        counts.merge(v, 1L, Long::sum);
      }
    }
    Map<String, Long> sorted = new LinkedHashMap<>();
    counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** Reads RFC 4180 records, which may span lines inside quotes. */
  private static final class RecordReader {
    private final BufferedReader reader;
    private long line;
    private long recordStart;

    RecordReader(BufferedReader reader) {
      this.reader = reader;
    }

    long line() {
      return line;
    }

    long recordStartLine() {
      return recordStart;
    }

    List<String> next() throws IOException, DataException {
      String text = reader.readLine();
      if (text == null) {
        return null;
      }
      line++;
      recordStart = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean afterQuote = false;
      int i = 0;
      while (true) {
        if (i == text.length()) {
          if (!quoted) {
            break;
          }
          String more = reader.readLine();
          if (more == null) {
            throw DataException.at(recordStart, null, "line " + recordStart + " opens a quoted field that is never closed");
          }
          line++;
          field.append('\n');
          text = more;
          i = 0;
          continue;
        }
        char ch = text.charAt(i++);
        if (quoted) {
          if (ch == '"') {
            if (i < text.length() && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              quoted = false;
              afterQuote = true;
            }
          } else {
            field.append(ch);
          }
        } else if (ch == ',') {
          fields.add(field.toString());
          field.setLength(0);
          afterQuote = false;
        } else if (ch == '"' && field.length() == 0 && !afterQuote) {
          quoted = true;
        } else if (afterQuote) {
          throw DataException.at(line, null, "line " + line + ", field " + (fields.size() + 1) + ": text after a closing quote");
        } else if (ch == '"') {
          throw DataException.at(line, null, "line " + line + ", field " + (fields.size() + 1) + ": a quote inside an unquoted field");
        } else if (ch != '\r' || i != text.length()) {
          field.append(ch);
        }
      }
      fields.add(field.toString());
      return Arrays.asList(fields.toArray(String[]::new));
    }
  }
}

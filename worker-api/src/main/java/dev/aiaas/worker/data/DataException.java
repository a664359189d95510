package dev.aiaas.worker.data;

import java.util.Optional;

/**
 * Data that cannot be used, with where: the line (1-based, the header is line 1) and the column
 * of a CSV, or the entry of an archive. The message is meant for the person who uploaded it.
 */
public final class DataException extends Exception {

  private final long line;
  private final Optional<String> column;

  public DataException(long line, Optional<String> column, String message) {
    super(message);
    this.line = line;
    this.column = column;
  }

  public static DataException at(long line, String column, String message) {
    return new DataException(line, Optional.ofNullable(column), message);
  }

  /** 0 when the problem is not on one line (e.g. the file is empty). */
  public long line() {
    return line;
  }

  public Optional<String> column() {
    return column;
  }
}

package dev.aiaas.worker.data;

import java.util.List;

/**
 * What was inferred about one column of a table.
 *
 * @param missing how many rows have no value (empty, {@code NA}, {@code null}, {@code NaN})
 * @param categories the distinct values of a categorical column, most frequent first (empty for numeric)
 */
public record ColumnSchema(String name, ColumnType type, long missing, List<String> categories) {}

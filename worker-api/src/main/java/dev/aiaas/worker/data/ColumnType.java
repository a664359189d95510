package dev.aiaas.worker.data;

/** How a tabular column is treated: numbers are standardized, categories one-hot encoded. */
public enum ColumnType {
  NUMERIC,
  CATEGORICAL
}

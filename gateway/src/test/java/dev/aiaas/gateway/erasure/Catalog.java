package dev.aiaas.gateway.erasure;

import dev.aiaas.gateway.testing.RunningPlatform;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a tenant owns, found from the database catalog rather than from a list in the code: the rows
 * of every table with a {@code tenant_id}, of the users its memberships name, and, following every
 * foreign key, the rows that point at those (chunks of its datasets, epochs of its jobs, ...).
 */
final class Catalog implements AutoCloseable {

  /** A single-column foreign key: {@code child.column} references {@code parent.parentColumn}. */
  record ForeignKey(String child, String column, String parent, String parentColumn) {}

  private final Connection connection;

  Catalog(RunningPlatform app) throws SQLException {
    this.connection = DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
  }

  /** Every table (partitions included) with a {@code tenant_id} column, mapped to its logical table (a partition's parent). */
  Map<String, String> tenantTables() throws SQLException {
    Map<String, String> tables = new TreeMap<>();
    try (PreparedStatement q = connection.prepareStatement("""
        SELECT col.table_name, coalesce(parent.relname, col.table_name) AS logical
        FROM information_schema.columns col
        JOIN pg_class c ON c.relname = col.table_name AND c.relnamespace = to_regnamespace(col.table_schema)
        LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
        LEFT JOIN pg_class parent ON parent.oid = i.inhparent
        WHERE col.table_schema = current_schema() AND col.column_name = 'tenant_id' AND c.relkind = 'r'""");
         ResultSet r = q.executeQuery()) {
      while (r.next()) {
        tables.put(r.getString(1), r.getString(2));
      }
    }
    return tables;
  }

  /** Every plain table of the schema. */
  List<String> allTables() throws SQLException {
    return strings("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = to_regnamespace(current_schema()) ORDER BY 1");
  }

  List<ForeignKey> foreignKeys() throws SQLException {
    List<ForeignKey> keys = new ArrayList<>();
    try (PreparedStatement q = connection.prepareStatement("""
        SELECT child.relname, ca.attname, parent.relname, pa.attname
        FROM pg_constraint k
        JOIN pg_class child ON child.oid = k.conrelid
        JOIN pg_class parent ON parent.oid = k.confrelid
        JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1]
        JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
        WHERE k.contype = 'f' AND cardinality(k.conkey) = 1 AND child.relnamespace = to_regnamespace(current_schema())""");
         ResultSet r = q.executeQuery()) {
      while (r.next()) {
        keys.add(new ForeignKey(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
      }
    }
    return keys;
  }

  /**
   * The key values ({@code id} and any other referenced column, as text) of the tenant's rows per
   * table: rows with its {@code tenant_id}, its members' users, and rows reached through foreign keys
   * from those, to a fixpoint.
   */
  Map<String, Map<String, Set<String>>> owned(String tenantId) throws SQLException {
    Map<String, Map<String, Set<String>>> owned = new HashMap<>();
    List<ForeignKey> keys = foreignKeys();
    Set<String> referenced = new HashSet<>();
    keys.forEach(k -> referenced.add(k.parent() + "." + k.parentColumn()));
    for (String table : tenantTables().keySet()) {
      for (String column : referencedColumns(referenced, table)) {
        addAll(owned, table, column, strings("SELECT " + column + "::text FROM " + table + " WHERE tenant_id = ?::uuid", tenantId));
      }
    }
    addAll(owned, "users", "id", strings("SELECT user_id::text FROM memberships WHERE tenant_id = ?::uuid", tenantId));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ForeignKey key : keys) {
        Set<String> parents = owned.getOrDefault(key.parent(), Map.of()).get(key.parentColumn());
        if (parents == null || parents.isEmpty()) {
          continue;
        }
        for (String column : referencedColumns(referenced, key.child())) {
          grew |= addAll(owned, key.child(), column, strings("SELECT " + column + "::text FROM " + key.child()
              + " WHERE " + key.column() + "::text = ANY(?)", (Object) parents.toArray(String[]::new)));
        }
      }
    }
    return owned;
  }

  /** How many rows of each table reference (or are) the given owned rows, per table; tables in {@code skip} left out. */
  Map<String, Long> countOwned(Map<String, Map<String, Set<String>>> owned, String tenantId, Set<String> skip) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    for (Map.Entry<String, String> table : tenantTables().entrySet()) {
      if (!skip.contains(table.getValue())) {
        counts.merge(table.getKey(), count("SELECT count(*) FROM " + table.getKey() + " WHERE tenant_id = ?::uuid", tenantId), Long::sum);
      }
    }
    for (Map.Entry<String, Map<String, Set<String>>> table : owned.entrySet()) {
      for (Map.Entry<String, Set<String>> column : table.getValue().entrySet()) {
        if (!skip.contains(table.getKey()) && !column.getValue().isEmpty()) {
          counts.merge(table.getKey() + "." + column.getKey(), count("SELECT count(*) FROM " + table.getKey() + " WHERE "
              + column.getKey() + "::text = ANY(?)", (Object) column.getValue().toArray(String[]::new)), Long::sum);
        }
      }
    }
    for (ForeignKey key : foreignKeys()) {
      Set<String> parents = owned.getOrDefault(key.parent(), Map.of()).get(key.parentColumn());
      if (parents != null && !parents.isEmpty() && !skip.contains(key.child())) {
        counts.merge(key.child() + "->" + key.parent(), count("SELECT count(*) FROM " + key.child() + " WHERE " + key.column()
            + "::text = ANY(?)", (Object) parents.toArray(String[]::new)), Long::sum);
      }
    }
    return counts;
  }

  /** The tables any row of which, as text, contains {@code needle} (case-insensitive). */
  List<String> tablesMentioning(String needle) throws SQLException {
    List<String> found = new ArrayList<>();
    for (String table : allTables()) {
      if (count("SELECT count(*) FROM " + table + " t WHERE strpos(lower(t::text), lower(?)) > 0", needle) > 0) {
        found.add(table);
      }
    }
    return found;
  }

  long count(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement q = prepare(sql, parameters); ResultSet r = q.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  List<String> strings(String sql, Object... parameters) throws SQLException {
    List<String> values = new ArrayList<>();
    try (PreparedStatement q = prepare(sql, parameters); ResultSet r = q.executeQuery()) {
      while (r.next()) {
        values.add(r.getString(1));
      }
    }
    return values;
  }

  private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
    PreparedStatement q = connection.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      if (parameters[i] instanceof String[] values) {
        Array array = connection.createArrayOf("text", values);
        q.setArray(i + 1, array);
      } else {
        q.setObject(i + 1, parameters[i]);
      }
    }
    return q;
  }

  private List<String> referencedColumns(Set<String> referenced, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    for (String column : strings("""
        SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?""", table)) {
      if (column.equals("id") || referenced.contains(table + "." + column)) {
        columns.add(column);
      }
    }
    return columns;
  }

  private static boolean addAll(Map<String, Map<String, Set<String>>> owned, String table, String column, List<String> values) {
    return owned.computeIfAbsent(table, t -> new HashMap<>()).computeIfAbsent(column, c -> new HashSet<>()).addAll(values);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}

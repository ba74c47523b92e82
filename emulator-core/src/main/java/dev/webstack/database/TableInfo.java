package dev.webstack.database;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replicated table as INFORMATION_SCHEMA describes it: columns in order, the primary key's positions and the
 * identity (auto-increment) column's position, -1 for none.
 */
record TableInfo(String name, List<String> columns, int[] primaryKey, int identity) {

  /** Key columns: the primary key, or every column for a table without one. */
  int[] keyColumns() {
    if (primaryKey.length > 0) {
      return primaryKey;
    }
    int[] all = new int[columns.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /**
   * An identifier as H2 reads it back exactly: double quotes. Backticks would not do: in MySQL mode with lower-case
   * identifiers H2 folds a backticked name to lower case, so a table created as {@code "MiXed"} was not found by the
   * applier (which stopped) nor by {@code content(..)}.
   */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * Every base table of the PUBLIC schema, by name. Reads JDBC metadata rather than INFORMATION_SCHEMA views, which
   * H2 materializes whole for every query (≈ 20 times slower).
   */
  static Map<String, TableInfo> load(Connection c) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Map<String, Integer> identities = new HashMap<>();
    try (ResultSet rs = meta.getTables(null, "public", "%", new String[] {"BASE TABLE", "TABLE"})) {
      while (rs.next()) {
        columns.put(rs.getString("TABLE_NAME"), new ArrayList<>());
      }
    }
    if (columns.isEmpty()) {
      return Map.of();
    }
    try (ResultSet rs = meta.getColumns(null, "public", "%", "%")) {
      while (rs.next()) {
        List<String> cols = columns.get(rs.getString("TABLE_NAME"));
        if (cols != null) {
          int position = rs.getInt("ORDINAL_POSITION") - 1;
          cols.add(position, rs.getString("COLUMN_NAME"));
          if ("YES".equals(rs.getString("IS_AUTOINCREMENT"))) {
            identities.put(rs.getString("TABLE_NAME"), position);
          }
        }
      }
    }
    Map<String, TableInfo> out = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : columns.entrySet()) {
      List<String> cols = e.getValue();
      TreeMap<Integer, String> pk = new TreeMap<>();
      try (ResultSet rs = meta.getPrimaryKeys(null, "public", e.getKey())) {
        while (rs.next()) {
          pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
        }
      }
      int[] positions = pk.values().stream().mapToInt(cols::indexOf).toArray();
      out.put(e.getKey(), new TableInfo(e.getKey(), List.copyOf(cols), positions,
          identities.getOrDefault(e.getKey(), -1)));
    }
    return out;
  }
}

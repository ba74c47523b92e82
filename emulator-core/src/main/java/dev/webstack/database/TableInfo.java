package dev.webstack.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A replicated table as INFORMATION_SCHEMA describes it: columns in order and the primary key's positions. */
record TableInfo(String name, List<String> columns, int[] primaryKey) {

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

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** Every base table of the PUBLIC schema, by name. */
  static Map<String, TableInfo> load(Connection c) throws SQLException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Map<String, List<String>> keys = new LinkedHashMap<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT c.TABLE_NAME, c.COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS c"
              + " JOIN INFORMATION_SCHEMA.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME"
              + " WHERE c.TABLE_SCHEMA = 'public' AND t.TABLE_TYPE = 'BASE TABLE'"
              + " ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION")) {
        while (rs.next()) {
          columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT k.TABLE_NAME, k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc"
              + " JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA"
              + " AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND tc.TABLE_NAME = k.TABLE_NAME"
              + " WHERE tc.TABLE_SCHEMA = 'public' AND tc.CONSTRAINT_TYPE = 'PRIMARY KEY'"
              + " ORDER BY k.TABLE_NAME, k.ORDINAL_POSITION")) {
        while (rs.next()) {
          keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    }
    Map<String, TableInfo> out = new LinkedHashMap<>();
    columns.forEach((table, cols) -> {
      List<String> pk = keys.getOrDefault(table, List.of());
      int[] positions = pk.stream().mapToInt(cols::indexOf).toArray();
      out.put(table, new TableInfo(table, List.copyOf(cols), positions));
    });
    return out;
  }
}

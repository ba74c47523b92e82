package dev.webstack.database;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replicated table as INFORMATION_SCHEMA describes it: columns in order, the primary key's positions, the
 * identity (auto-increment) column's position, -1 for none, whether that identity is {@code GENERATED ALWAYS}, and
 * the positions of the columns a row is written with ({@code written}: every column but the generated ones,
 * {@code AS (expr)}).
 *
 * <p>Why the last two: a replica recomputes a generated column from the row's other values, as MySQL's does, and H2
 * refuses a value for it ("Generated column cannot be assigned", 90154); an identity {@code GENERATED ALWAYS}
 * takes the source's value only with {@code OVERRIDING SYSTEM VALUE}, which H2's {@code MERGE} does not accept.
 * Without them the applier stopped at the first row of such a table.
 */
record TableInfo(String name, List<String> columns, int[] primaryKey, int identity, boolean identityAlways,
    int[] written) {

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
  /**
   * Whether a table's identity column is {@code GENERATED ALWAYS}, which JDBC metadata does not tell. Asked per
   * identity column, with conditions H2 can look up, not by reading the whole view.
   */
  private static boolean identityAlways(Connection c, String table, String column) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT IDENTITY_GENERATION FROM INFORMATION_SCHEMA.COLUMNS"
        + " WHERE TABLE_SCHEMA = 'public' AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      ps.setString(1, table);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "ALWAYS".equals(rs.getString(1));
      }
    }
  }

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
    Map<String, List<String>> generated = new HashMap<>();
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
          if ("YES".equals(rs.getString("IS_GENERATEDCOLUMN"))) {
            generated.computeIfAbsent(rs.getString("TABLE_NAME"), k -> new ArrayList<>())
                .add(rs.getString("COLUMN_NAME"));
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
      int identity = identities.getOrDefault(e.getKey(), -1);
      List<String> computed = generated.getOrDefault(e.getKey(), List.of());
      int[] written = new int[cols.size() - computed.size()];
      for (int i = 0, w = 0; i < cols.size(); i++) {
        if (!computed.contains(cols.get(i))) {
          written[w++] = i;
        }
      }
      out.put(e.getKey(), new TableInfo(e.getKey(), List.copyOf(cols), positions, identity,
          identity >= 0 && identityAlways(c, e.getKey(), cols.get(identity)), written));
    }
    return out;
  }
}

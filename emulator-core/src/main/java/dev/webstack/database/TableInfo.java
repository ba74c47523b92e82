package dev.webstack.database;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A replicated table as INFORMATION_SCHEMA describes it: its name in the log ({@link #logName}), schema and table
 * name, columns in order, the primary key's positions, the identity (auto-increment) column's position, -1 for
 * none, whether that identity is {@code GENERATED ALWAYS}, and the positions of the columns a row is written with
 * ({@code written}: every column but the generated ones, {@code AS (expr)}).
 *
 * <p>Why the last two: a replica recomputes a generated column from the row's other values, as MySQL's does, and H2
 * refuses a value for it ("Generated column cannot be assigned", 90154); an identity {@code GENERATED ALWAYS}
 * takes the source's value only with {@code OVERRIDING SYSTEM VALUE}, which H2's {@code MERGE} does not accept.
 * Without them the applier stopped at the first row of such a table.
 *
 * <p>{@code name} is the table's name in row events, {@code content(..)} and lost-write reports: the bare table name
 * in the default {@code public} schema, {@code schema.table} in any other (see {@link #logName}).
 */
record TableInfo(String name, String schema, String table, List<String> columns, int[] primaryKey, int identity,
    boolean identityAlways, int[] written) {

  /** The default schema, whose tables are named without it. */
  static final String DEFAULT_SCHEMA = "public";

  /**
   * The name a table goes by in the log: {@code table} in the default schema, {@code schema.table} in any other.
   * MySQL replicates every database of the server, each row event naming its database and table; here a table
   * outside {@code public} was neither captured nor shown by {@code content(..)}, so its rows silently never
   * reached a replica while the cluster reported itself converged.
   */
  static String logName(String schema, String table) {
    return DEFAULT_SCHEMA.equals(schema) ? table : schema + "." + table;
  }

  /**
   * This table as a source's rows of {@code width} columns reach it, for a replica whose copy has extra trailing
   * columns (MySQL's differing table definitions): its first {@code width} columns, which the rows are written to,
   * the others left to their defaults. Null when the primary key reaches past them: rows could not be found.
   */
  TableInfo firstColumns(int width) {
    for (int k : primaryKey) {
      if (k >= width) {
        return null;
      }
    }
    int[] kept = Arrays.stream(written).filter(i -> i < width).toArray();
    return new TableInfo(name, schema, table, columns.subList(0, width), primaryKey, identity < width ? identity : -1,
        identity < width && identityAlways, kept);
  }

  /** The table as SQL names it, schema included, each part quoted. */
  String sqlName() {
    return quote(schema) + "." + quote(table);
  }

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
  private static boolean identityAlways(Connection c, String schema, String table, String column)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT IDENTITY_GENERATION FROM INFORMATION_SCHEMA.COLUMNS"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      ps.setString(3, column);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "ALWAYS".equals(rs.getString(1));
      }
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * Every base table of every schema but INFORMATION_SCHEMA, by {@linkplain #logName name in the log}. Reads JDBC
   * metadata rather than INFORMATION_SCHEMA views, which H2 materializes whole for every query (≈ 20 times slower).
   */
  static Map<String, TableInfo> load(Connection c) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    Map<String, String[]> names = new LinkedHashMap<>(); // log name -> schema, table
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Map<String, Integer> identities = new HashMap<>();
    Map<String, List<String>> generated = new HashMap<>();
    Set<String> schemas = new LinkedHashSet<>();
    try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"BASE TABLE", "TABLE"})) {
      while (rs.next()) {
        String schema = rs.getString("TABLE_SCHEM");
        if (!"information_schema".equalsIgnoreCase(schema)) {
          String name = logName(schema, rs.getString("TABLE_NAME"));
          names.put(name, new String[] {schema, rs.getString("TABLE_NAME")});
          columns.put(name, new ArrayList<>());
          schemas.add(schema);
        }
      }
    }
    if (columns.isEmpty()) {
      return Map.of();
    }
    // Per schema that holds a table: asked for every schema, H2 lists INFORMATION_SCHEMA's hundreds of columns too.
    // A schema name is a LIKE pattern here ('_' matches any character): rows of other schemas it matches are
    // skipped, their own query lists them.
    for (String schema : schemas) {
      try (ResultSet rs = meta.getColumns(null, schema, "%", "%")) {
        while (rs.next()) {
          if (!schema.equals(rs.getString("TABLE_SCHEM"))) {
            continue;
          }
          String name = logName(rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME"));
          List<String> cols = columns.get(name);
          if (cols != null) {
            int position = rs.getInt("ORDINAL_POSITION") - 1;
            cols.add(position, rs.getString("COLUMN_NAME"));
            if ("YES".equals(rs.getString("IS_AUTOINCREMENT"))) {
              identities.put(name, position);
            }
            if ("YES".equals(rs.getString("IS_GENERATEDCOLUMN"))) {
              generated.computeIfAbsent(name, k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME"));
            }
          }
        }
      }
    }
    Map<String, TableInfo> out = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : columns.entrySet()) {
      String[] st = names.get(e.getKey());
      List<String> cols = e.getValue();
      TreeMap<Integer, String> pk = new TreeMap<>();
      try (ResultSet rs = meta.getPrimaryKeys(null, st[0], st[1])) {
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
      out.put(e.getKey(), new TableInfo(e.getKey(), st[0], st[1], List.copyOf(cols), positions, identity,
          identity >= 0 && identityAlways(c, st[0], st[1], cols.get(identity)), written));
    }
    return out;
  }
}

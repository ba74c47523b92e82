package dev.webstack.database;

import dev.webstack.internal.DelegatingPreparedStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A prepared statement on a {@link NodeConnection}, classified once at prepare time.
 *
 * <p>A batch runs as one statement for capture: when one of its entries fails, H2 undoes that entry, but the row
 * images of a multi-row entry that failed half-way stay captured (single-row entries, the usual case, leave none:
 * the capture sees a row only after it was written).
 */
final class NodePreparedStatement extends DelegatingPreparedStatement {

  private final NodeConnection connection;
  private final String sql;
  private final Sql.Kind kind;

  NodePreparedStatement(NodeConnection connection, PreparedStatement raw, String sql) {
    super(raw);
    this.connection = connection;
    this.sql = sql;
    this.kind = Sql.classify(sql);
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public boolean execute() throws SQLException {
    if (connection.control(kind, sql)) {
      return false;
    }
    return connection.run(kind, sql, raw::execute);
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return connection.run(kind, sql, raw::executeQuery);
  }

  @Override
  public int executeUpdate() throws SQLException {
    if (connection.control(kind, sql)) {
      return 0;
    }
    return connection.run(kind, sql, raw::executeUpdate);
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return executeUpdate();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return connection.run(kind, sql, raw::executeBatch);
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return connection.run(kind, sql, raw::executeLargeBatch);
  }
}

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
  // The calls a statement repeats, made on first use: a method reference made per execution is an allocation per
  // execution, and a repeated prepared insert is the hot path of a write-heavy test.
  private NodeConnection.SqlCall<Boolean> execute;
  private NodeConnection.SqlCall<ResultSet> query;
  private NodeConnection.SqlCall<Integer> update;

  NodePreparedStatement(NodeConnection connection, PreparedStatement raw, String sql, Sql.Kind kind) {
    super(raw);
    this.connection = connection;
    this.sql = sql;
    this.kind = kind;
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
    NodeConnection.SqlCall<Boolean> call = execute;
    if (call == null) {
      call = execute = raw::execute;
    }
    return connection.run(kind, sql, call);
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    NodeConnection.SqlCall<ResultSet> call = query;
    if (call == null) {
      call = query = raw::executeQuery;
    }
    return connection.run(kind, sql, call);
  }

  @Override
  public int executeUpdate() throws SQLException {
    if (connection.control(kind, sql)) {
      return 0;
    }
    NodeConnection.SqlCall<Integer> call = update;
    if (call == null) {
      call = update = raw::executeUpdate;
    }
    return connection.run(kind, sql, call);
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return executeUpdate();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return connection.runBatch(kind, sql, raw::executeBatch, raw);
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return connection.runBatch(kind, sql, raw::executeLargeBatch, raw);
  }
}

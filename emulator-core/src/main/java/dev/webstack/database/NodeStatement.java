package dev.webstack.database;

import dev.webstack.internal.DelegatingStatement;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain statement on a {@link NodeConnection}: each SQL text is classified and run through the connection. */
final class NodeStatement extends DelegatingStatement<Statement> {

  private final NodeConnection connection;
  private final List<String> batch = new ArrayList<>();

  NodeStatement(NodeConnection connection, Statement raw) {
    super(raw);
    this.connection = connection;
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    Sql.Kind kind = connection.classify(sql);
    if (connection.control(kind, sql)) {
      return false;
    }
    return connection.run(kind, sql, () -> raw.execute(sql));
  }

  @Override
  public boolean execute(String sql, int a1) throws SQLException {
    Sql.Kind kind = connection.classify(sql);
    if (connection.control(kind, sql)) {
      return false;
    }
    return connection.run(kind, sql, () -> raw.execute(sql, a1));
  }

  @Override
  public boolean execute(String sql, int[] a1) throws SQLException {
    Sql.Kind kind = connection.classify(sql);
    if (connection.control(kind, sql)) {
      return false;
    }
    return connection.run(kind, sql, () -> raw.execute(sql, a1));
  }

  @Override
  public boolean execute(String sql, String[] a1) throws SQLException {
    Sql.Kind kind = connection.classify(sql);
    if (connection.control(kind, sql)) {
      return false;
    }
    return connection.run(kind, sql, () -> raw.execute(sql, a1));
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    return connection.run(connection.classify(sql), sql, () -> raw.executeQuery(sql));
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    Sql.Kind kind = connection.classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return connection.run(kind, sql, () -> raw.executeUpdate(sql));
  }

  @Override
  public int executeUpdate(String sql, int a1) throws SQLException {
    Sql.Kind kind = connection.classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return connection.run(kind, sql, () -> raw.executeUpdate(sql, a1));
  }

  @Override
  public int executeUpdate(String sql, int[] a1) throws SQLException {
    Sql.Kind kind = connection.classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return connection.run(kind, sql, () -> raw.executeUpdate(sql, a1));
  }

  @Override
  public int executeUpdate(String sql, String[] a1) throws SQLException {
    Sql.Kind kind = connection.classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return connection.run(kind, sql, () -> raw.executeUpdate(sql, a1));
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    return executeUpdate(sql);
  }

  @Override
  public long executeLargeUpdate(String sql, int a1) throws SQLException {
    return executeUpdate(sql, a1);
  }

  @Override
  public long executeLargeUpdate(String sql, int[] a1) throws SQLException {
    return executeUpdate(sql, a1);
  }

  @Override
  public long executeLargeUpdate(String sql, String[] a1) throws SQLException {
    return executeUpdate(sql, a1);
  }

  @Override
  public void addBatch(String sql) {
    batch.add(sql);
  }

  @Override
  public void clearBatch() {
    batch.clear();
  }

  /**
   * Runs the batch one statement at a time through the connection, so each statement's row images are kept or
   * dropped on their own; like H2 and Connector/J ({@code continueBatchOnError}) it goes on after a failure and
   * then throws a {@link BatchUpdateException} with every count.
   */
  @Override
  public int[] executeBatch() throws SQLException {
    int[] counts = new int[batch.size()];
    SQLException first = null;
    for (int i = 0; i < counts.length; i++) {
      try {
        counts[i] = executeUpdate(batch.get(i));
      } catch (SQLException e) {
        counts[i] = Statement.EXECUTE_FAILED;
        if (first == null) {
          first = e;
        } else {
          first.setNextException(e);
        }
      }
    }
    batch.clear();
    if (first != null) {
      throw new BatchUpdateException(first.getMessage(), first.getSQLState(), first.getErrorCode(), counts, first);
    }
    return counts;
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return Arrays.stream(executeBatch()).asLongStream().toArray();
  }
}

package dev.webstack.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A statement of a {@link LinkedConnection}: its executions are round trips across the link; every other call goes
 * straight to the statement, and {@link #getConnection()} answers the linked connection. {@code equals}, {@code
 * hashCode} and {@code toString} are the statement's own.
 */
class LinkedStatement implements Statement {

  final LinkedConnection connection;
  private final Statement statement;

  LinkedStatement(LinkedConnection connection, Statement statement) {
    this.connection = connection;
    this.statement = statement;
  }

  @Override
  public boolean equals(Object other) {
    return statement.equals(other);
  }

  @Override
  public int hashCode() {
    return statement.hashCode();
  }

  @Override
  public String toString() {
    return statement.toString();
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    connection.beforeRoundTrip();
    ResultSet result;
    try {
      result = statement.executeQuery(sql);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    connection.beforeRoundTrip();
    int result;
    try {
      result = statement.executeUpdate(sql);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public void close() throws SQLException {
    statement.close();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return statement.getMaxFieldSize();
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    statement.setMaxFieldSize(max);
  }

  @Override
  public int getMaxRows() throws SQLException {
    return statement.getMaxRows();
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    statement.setMaxRows(max);
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    statement.setEscapeProcessing(enable);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return statement.getQueryTimeout();
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    statement.setQueryTimeout(seconds);
  }

  @Override
  public void cancel() throws SQLException {
    statement.cancel();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return statement.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    statement.clearWarnings();
  }

  @Override
  public void setCursorName(String name) throws SQLException {
    statement.setCursorName(name);
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    connection.beforeRoundTrip();
    boolean result;
    try {
      result = statement.execute(sql);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return statement.getResultSet();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return statement.getUpdateCount();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return statement.getMoreResults();
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    statement.setFetchDirection(direction);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return statement.getFetchDirection();
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    statement.setFetchSize(rows);
  }

  @Override
  public int getFetchSize() throws SQLException {
    return statement.getFetchSize();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return statement.getResultSetConcurrency();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return statement.getResultSetType();
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    statement.addBatch(sql);
  }

  @Override
  public void clearBatch() throws SQLException {
    statement.clearBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    connection.beforeRoundTrip();
    int[] result;
    try {
      result = statement.executeBatch();
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connection;
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    return statement.getMoreResults(current);
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return statement.getGeneratedKeys();
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    connection.beforeRoundTrip();
    int result;
    try {
      result = statement.executeUpdate(sql, autoGeneratedKeys);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    connection.beforeRoundTrip();
    int result;
    try {
      result = statement.executeUpdate(sql, columnIndexes);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    connection.beforeRoundTrip();
    int result;
    try {
      result = statement.executeUpdate(sql, columnNames);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    connection.beforeRoundTrip();
    boolean result;
    try {
      result = statement.execute(sql, autoGeneratedKeys);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    connection.beforeRoundTrip();
    boolean result;
    try {
      result = statement.execute(sql, columnIndexes);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    connection.beforeRoundTrip();
    boolean result;
    try {
      result = statement.execute(sql, columnNames);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return statement.getResultSetHoldability();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return statement.isClosed();
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    statement.setPoolable(poolable);
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return statement.isPoolable();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    statement.closeOnCompletion();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return statement.isCloseOnCompletion();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return statement.getLargeUpdateCount();
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    statement.setLargeMaxRows(max);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return statement.getLargeMaxRows();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    connection.beforeRoundTrip();
    long[] result;
    try {
      result = statement.executeLargeBatch();
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    connection.beforeRoundTrip();
    long result;
    try {
      result = statement.executeLargeUpdate(sql);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    connection.beforeRoundTrip();
    long result;
    try {
      result = statement.executeLargeUpdate(sql, autoGeneratedKeys);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    connection.beforeRoundTrip();
    long result;
    try {
      result = statement.executeLargeUpdate(sql, columnIndexes);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    connection.beforeRoundTrip();
    long result;
    try {
      result = statement.executeLargeUpdate(sql, columnNames);
    } catch (Throwable e) {
      connection.failedRoundTrip();
      throw e;
    }
    connection.afterRoundTrip();
    return result;
  }

  @Override
  public String enquoteLiteral(String val) throws SQLException {
    return statement.enquoteLiteral(val);
  }

  @Override
  public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
    return statement.enquoteIdentifier(identifier, alwaysQuote);
  }

  @Override
  public boolean isSimpleIdentifier(String identifier) throws SQLException {
    return statement.isSimpleIdentifier(identifier);
  }

  @Override
  public String enquoteNCharLiteral(String val) throws SQLException {
    return statement.enquoteNCharLiteral(val);
  }

  @Override
  public <T> T unwrap(java.lang.Class<T> iface) throws java.sql.SQLException {
    return statement.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(java.lang.Class<?> iface) throws java.sql.SQLException {
    return statement.isWrapperFor(iface);
  }
}

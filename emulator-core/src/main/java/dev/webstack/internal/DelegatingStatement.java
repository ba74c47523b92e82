package dev.webstack.internal;

import java.sql.*;

/**
 * Forwards every {@link Statement} call to the wrapped statement; subclasses override what they own (replication,
 * a link).
 */
public abstract class DelegatingStatement<S extends Statement> implements Statement {

  protected final S raw;

  protected DelegatingStatement(S raw) {
    this.raw = raw;
  }

  @Override
  public void addBatch(String a0) throws SQLException {
    raw.addBatch(a0);
  }

  @Override
  public void cancel() throws SQLException {
    raw.cancel();
  }

  @Override
  public void clearBatch() throws SQLException {
    raw.clearBatch();
  }

  @Override
  public void clearWarnings() throws SQLException {
    raw.clearWarnings();
  }

  @Override
  public void close() throws SQLException {
    raw.close();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    raw.closeOnCompletion();
  }

  @Override
  public String enquoteIdentifier(String a0, boolean a1) throws SQLException {
    return raw.enquoteIdentifier(a0, a1);
  }

  @Override
  public String enquoteLiteral(String a0) throws SQLException {
    return raw.enquoteLiteral(a0);
  }

  @Override
  public String enquoteNCharLiteral(String a0) throws SQLException {
    return raw.enquoteNCharLiteral(a0);
  }

  @Override
  public boolean execute(String a0, int[] a1) throws SQLException {
    return raw.execute(a0, a1);
  }

  @Override
  public boolean execute(String a0, String[] a1) throws SQLException {
    return raw.execute(a0, a1);
  }

  @Override
  public boolean execute(String a0, int a1) throws SQLException {
    return raw.execute(a0, a1);
  }

  @Override
  public boolean execute(String a0) throws SQLException {
    return raw.execute(a0);
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return raw.executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return raw.executeLargeBatch();
  }

  @Override
  public long executeLargeUpdate(String a0, int[] a1) throws SQLException {
    return raw.executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0, String[] a1) throws SQLException {
    return raw.executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0, int a1) throws SQLException {
    return raw.executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0) throws SQLException {
    return raw.executeLargeUpdate(a0);
  }

  @Override
  public ResultSet executeQuery(String a0) throws SQLException {
    return raw.executeQuery(a0);
  }

  @Override
  public int executeUpdate(String a0, int[] a1) throws SQLException {
    return raw.executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0, String[] a1) throws SQLException {
    return raw.executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0, int a1) throws SQLException {
    return raw.executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0) throws SQLException {
    return raw.executeUpdate(a0);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return raw.getConnection();
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return raw.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return raw.getFetchSize();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return raw.getGeneratedKeys();
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return raw.getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return raw.getLargeUpdateCount();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return raw.getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return raw.getMaxRows();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return raw.getMoreResults();
  }

  @Override
  public boolean getMoreResults(int a0) throws SQLException {
    return raw.getMoreResults(a0);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return raw.getQueryTimeout();
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return raw.getResultSet();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return raw.getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return raw.getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return raw.getResultSetType();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return raw.getUpdateCount();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return raw.getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return raw.isCloseOnCompletion();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return raw.isClosed();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return raw.isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String a0) throws SQLException {
    return raw.isSimpleIdentifier(a0);
  }

  @Override
  public boolean isWrapperFor(Class<?> a0) throws SQLException {
    return raw.isWrapperFor(a0);
  }

  @Override
  public void setCursorName(String a0) throws SQLException {
    raw.setCursorName(a0);
  }

  @Override
  public void setEscapeProcessing(boolean a0) throws SQLException {
    raw.setEscapeProcessing(a0);
  }

  @Override
  public void setFetchDirection(int a0) throws SQLException {
    raw.setFetchDirection(a0);
  }

  @Override
  public void setFetchSize(int a0) throws SQLException {
    raw.setFetchSize(a0);
  }

  @Override
  public void setLargeMaxRows(long a0) throws SQLException {
    raw.setLargeMaxRows(a0);
  }

  @Override
  public void setMaxFieldSize(int a0) throws SQLException {
    raw.setMaxFieldSize(a0);
  }

  @Override
  public void setMaxRows(int a0) throws SQLException {
    raw.setMaxRows(a0);
  }

  @Override
  public void setPoolable(boolean a0) throws SQLException {
    raw.setPoolable(a0);
  }

  @Override
  public void setQueryTimeout(int a0) throws SQLException {
    raw.setQueryTimeout(a0);
  }

  @Override
  public <T> T unwrap(Class<T> a0) throws SQLException {
    return raw.unwrap(a0);
  }

}

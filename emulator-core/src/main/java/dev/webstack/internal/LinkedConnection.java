package dev.webstack.internal;

import dev.webstack.database.RoutedConnection;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A connection as the application server sees it across a {@link JdbcLinkFaultState link}: its round trips ({@code
 * commit}, {@code rollback}, {@code setAutoCommit}, {@code isValid}, and its statements' executions) pass the
 * link's faults; every other call goes straight to the connection. Hand-written rather than a {@code
 * java.lang.reflect.Proxy}: generating proxy classes and calling through {@code Method.invoke} was a measurable part
 * of a cold JVM's first request.
 *
 * <p>Its statements are {@link LinkedStatement}s (or the prepared and callable kinds), so their executions are round
 * trips too, and their {@code getConnection()} answers this connection.
 */
final class LinkedConnection implements Connection {

  private final JdbcLinkFaultState link;
  private final Connection raw;
  private volatile boolean reset;

  LinkedConnection(JdbcLinkFaultState link, Connection raw) {
    this.link = link;
    this.raw = raw;
  }

  /** The link was reset: the next round trip fails and closes the connection. */
  void markReset() {
    reset = true;
  }

  boolean isReset() {
    return reset;
  }

  /** Closes the connection underneath, after a reset. */
  void closeRaw() throws SQLException {
    link.forget(this);
    raw.close();
  }

  /** The request's part of a round trip: fails on a reset, waits out a partition, then sleeps the latency. */
  void beforeRoundTrip() throws SQLException {
    link.pass(this, true);
  }

  /** The answer's part of a round trip that succeeded. */
  void afterRoundTrip() throws SQLException {
    noteNode();
    link.pass(this, false);
  }

  /** The answer's part of a round trip that failed; the caller then throws the database's exception. */
  void failedRoundTrip() throws SQLException {
    try {
      link.pass(this, false);
    } finally {
      noteNode();
    }
  }

  /** Tells the current request which database node ran the last round trip, when the connection knows. */
  private void noteNode() {
    try {
      if (raw.isWrapperFor(RoutedConnection.class)) {
        Optional<String> node = raw.unwrap(RoutedConnection.class).lastNode();
        if (node.isPresent()) { // not ifPresent(DatabaseHops::note): a method reference is linked on first use
          DatabaseHops.note(node.get());
        }
      } else {
        DatabaseHops.note(link.to());
      }
    } catch (SQLException e) {
      DatabaseHops.note(link.to()); // a closed connection still ran on the link's database
    }
  }

  /** The statement as seen across the link, of the most specific kind it is (null stays null). */
  private Statement statement(Statement statement) {
    if (statement instanceof CallableStatement callable) {
      return new LinkedCallableStatement(this, callable);
    }
    if (statement instanceof PreparedStatement prepared) {
      return new LinkedPreparedStatement(this, prepared);
    }
    return statement == null ? null : new LinkedStatement(this, statement);
  }

  @Override
  public String toString() {
    return "connection over link " + link.name() + " (" + raw + ")";
  }

  @Override
  public Statement createStatement() throws SQLException {
    return statement(raw.createStatement());
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return (PreparedStatement) statement(raw.prepareStatement(sql));
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return (CallableStatement) statement(raw.prepareCall(sql));
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    return raw.nativeSQL(sql);
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    beforeRoundTrip();
    try {
      raw.setAutoCommit(autoCommit);
    } catch (Throwable e) {
      failedRoundTrip();
      throw e;
    }
    afterRoundTrip();
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return raw.getAutoCommit();
  }

  @Override
  public void commit() throws SQLException {
    beforeRoundTrip();
    try {
      raw.commit();
    } catch (Throwable e) {
      failedRoundTrip();
      throw e;
    }
    afterRoundTrip();
  }

  @Override
  public void rollback() throws SQLException {
    beforeRoundTrip();
    try {
      raw.rollback();
    } catch (Throwable e) {
      failedRoundTrip();
      throw e;
    }
    afterRoundTrip();
  }

  @Override
  public void close() throws SQLException {
    link.forget(this);
    raw.close();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return raw.isClosed();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return raw.getMetaData();
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    raw.setReadOnly(readOnly);
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return raw.isReadOnly();
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    raw.setCatalog(catalog);
  }

  @Override
  public String getCatalog() throws SQLException {
    return raw.getCatalog();
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    raw.setTransactionIsolation(level);
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return raw.getTransactionIsolation();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return raw.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    raw.clearWarnings();
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
    return statement(raw.createStatement(resultSetType, resultSetConcurrency));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
    return (PreparedStatement) statement(raw.prepareStatement(sql, resultSetType, resultSetConcurrency));
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
    return (CallableStatement) statement(raw.prepareCall(sql, resultSetType, resultSetConcurrency));
  }

  @Override
  public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
    return raw.getTypeMap();
  }

  @Override
  public void setTypeMap(java.util.Map<String,  Class<?>> map) throws SQLException {
    raw.setTypeMap(map);
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    raw.setHoldability(holdability);
  }

  @Override
  public int getHoldability() throws SQLException {
    return raw.getHoldability();
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return raw.setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    return raw.setSavepoint(name);
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    beforeRoundTrip();
    try {
      raw.rollback(savepoint);
    } catch (Throwable e) {
      failedRoundTrip();
      throw e;
    }
    afterRoundTrip();
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    raw.releaseSavepoint(savepoint);
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return statement(raw.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return (PreparedStatement) statement(raw.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return (CallableStatement) statement(raw.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return (PreparedStatement) statement(raw.prepareStatement(sql, autoGeneratedKeys));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return (PreparedStatement) statement(raw.prepareStatement(sql, columnIndexes));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return (PreparedStatement) statement(raw.prepareStatement(sql, columnNames));
  }

  @Override
  public Clob createClob() throws SQLException {
    return raw.createClob();
  }

  @Override
  public Blob createBlob() throws SQLException {
    return raw.createBlob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return raw.createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return raw.createSQLXML();
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    beforeRoundTrip();
    boolean result;
    try {
      result = raw.isValid(timeout);
    } catch (Throwable e) {
      failedRoundTrip();
      throw e;
    }
    afterRoundTrip();
    return result;
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    raw.setClientInfo(name, value);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    raw.setClientInfo(properties);
  }

  @Override
  public String getClientInfo(String name) throws SQLException {
    return raw.getClientInfo(name);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return raw.getClientInfo();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    return raw.createArrayOf(typeName, elements);
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    return raw.createStruct(typeName, attributes);
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    raw.setSchema(schema);
  }

  @Override
  public String getSchema() throws SQLException {
    return raw.getSchema();
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    raw.abort(executor);
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    raw.setNetworkTimeout(executor, milliseconds);
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return raw.getNetworkTimeout();
  }

  @Override
  public void beginRequest() throws SQLException {
    raw.beginRequest();
  }

  @Override
  public void endRequest() throws SQLException {
    raw.endRequest();
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey, int timeout) throws SQLException {
    return raw.setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
    return raw.setShardingKeyIfValid(shardingKey, timeout);
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
    raw.setShardingKey(shardingKey, superShardingKey);
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey) throws SQLException {
    raw.setShardingKey(shardingKey);
  }

  @Override
  public <T> T unwrap(java.lang.Class<T> iface) throws java.sql.SQLException {
    return raw.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(java.lang.Class<?> iface) throws java.sql.SQLException {
    return raw.isWrapperFor(iface);
  }
}

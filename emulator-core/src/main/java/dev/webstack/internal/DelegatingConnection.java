package dev.webstack.internal;

import java.sql.*;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * Forwards every {@link Connection} call to the wrapped connection; subclasses override what they own (replication,
 * a link).
 */
public abstract class DelegatingConnection implements Connection {

  protected final Connection raw;

  protected DelegatingConnection(Connection raw) {
    this.raw = raw;
  }

  @Override
  public void abort(Executor a0) throws SQLException {
    raw.abort(a0);
  }

  @Override
  public void beginRequest() throws SQLException {
    raw.beginRequest();
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
  public void commit() throws SQLException {
    raw.commit();
  }

  @Override
  public Array createArrayOf(String a0, Object[] a1) throws SQLException {
    return raw.createArrayOf(a0, a1);
  }

  @Override
  public Blob createBlob() throws SQLException {
    return raw.createBlob();
  }

  @Override
  public Clob createClob() throws SQLException {
    return raw.createClob();
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
  public Statement createStatement() throws SQLException {
    return raw.createStatement();
  }

  @Override
  public Statement createStatement(int a0, int a1, int a2) throws SQLException {
    return raw.createStatement(a0, a1, a2);
  }

  @Override
  public Statement createStatement(int a0, int a1) throws SQLException {
    return raw.createStatement(a0, a1);
  }

  @Override
  public Struct createStruct(String a0, Object[] a1) throws SQLException {
    return raw.createStruct(a0, a1);
  }

  @Override
  public void endRequest() throws SQLException {
    raw.endRequest();
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return raw.getAutoCommit();
  }

  @Override
  public String getCatalog() throws SQLException {
    return raw.getCatalog();
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return raw.getClientInfo();
  }

  @Override
  public String getClientInfo(String a0) throws SQLException {
    return raw.getClientInfo(a0);
  }

  @Override
  public int getHoldability() throws SQLException {
    return raw.getHoldability();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return raw.getMetaData();
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return raw.getNetworkTimeout();
  }

  @Override
  public String getSchema() throws SQLException {
    return raw.getSchema();
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return raw.getTransactionIsolation();
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return raw.getTypeMap();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return raw.getWarnings();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return raw.isClosed();
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return raw.isReadOnly();
  }

  @Override
  public boolean isValid(int a0) throws SQLException {
    return raw.isValid(a0);
  }

  @Override
  public boolean isWrapperFor(Class<?> a0) throws SQLException {
    return raw.isWrapperFor(a0);
  }

  @Override
  public String nativeSQL(String a0) throws SQLException {
    return raw.nativeSQL(a0);
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
    return raw.prepareCall(a0, a1, a2, a3);
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
    return raw.prepareCall(a0, a1, a2);
  }

  @Override
  public CallableStatement prepareCall(String a0) throws SQLException {
    return raw.prepareCall(a0);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
    return raw.prepareStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
    return raw.prepareStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
    return raw.prepareStatement(a0, a1, a2, a3);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
    return raw.prepareStatement(a0, a1, a2);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
    return raw.prepareStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0) throws SQLException {
    return raw.prepareStatement(a0);
  }

  @Override
  public void releaseSavepoint(Savepoint a0) throws SQLException {
    raw.releaseSavepoint(a0);
  }

  @Override
  public void rollback() throws SQLException {
    raw.rollback();
  }

  @Override
  public void rollback(Savepoint a0) throws SQLException {
    raw.rollback(a0);
  }

  @Override
  public void setAutoCommit(boolean a0) throws SQLException {
    raw.setAutoCommit(a0);
  }

  @Override
  public void setCatalog(String a0) throws SQLException {
    raw.setCatalog(a0);
  }

  @Override
  public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
    raw.setClientInfo(a0, a1);
  }

  @Override
  public void setClientInfo(Properties a0) throws SQLClientInfoException {
    raw.setClientInfo(a0);
  }

  @Override
  public void setHoldability(int a0) throws SQLException {
    raw.setHoldability(a0);
  }

  @Override
  public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
    raw.setNetworkTimeout(a0, a1);
  }

  @Override
  public void setReadOnly(boolean a0) throws SQLException {
    raw.setReadOnly(a0);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return raw.setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String a0) throws SQLException {
    return raw.setSavepoint(a0);
  }

  @Override
  public void setSchema(String a0) throws SQLException {
    raw.setSchema(a0);
  }

  @Override
  public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
    raw.setShardingKey(a0, a1);
  }

  @Override
  public void setShardingKey(ShardingKey a0) throws SQLException {
    raw.setShardingKey(a0);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
    return raw.setShardingKeyIfValid(a0, a1);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
    return raw.setShardingKeyIfValid(a0, a1, a2);
  }

  @Override
  public void setTransactionIsolation(int a0) throws SQLException {
    raw.setTransactionIsolation(a0);
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
    raw.setTypeMap(a0);
  }

  @Override
  public <T> T unwrap(Class<T> a0) throws SQLException {
    return raw.unwrap(a0);
  }

}

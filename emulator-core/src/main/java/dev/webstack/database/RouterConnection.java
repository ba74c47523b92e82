package dev.webstack.database;

import java.sql.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * One client connection of the {@link ReadWriteRouter}: a backend connection per node, opened on first use, a
 * pinned one inside a transaction. Statements are routed when prepared ({@link #prepareStatement}) or executed
 * ({@link RouterStatement}); every other call goes to the transaction's node, else to the writer.
 *
 * <p>Written out rather than a {@code java.lang.reflect.Proxy}: a proxy's class generation and reflective calls
 * cost a cold JVM tens of milliseconds on its first request. Not thread-safe, as JDBC connections are not meant to
 * be shared.
 */
final class RouterConnection implements Connection, RoutedConnection {

  private final ReadWriteRouter router;
  private final Map<H2Database, NodeConnection> backends = new LinkedHashMap<>();
  private final List<Statement> statements = new ArrayList<>();
  private boolean autoCommit = true;
  private boolean readOnly;
  private NodeConnection pinned;
  private String lastNode;
  private String lastGtid;
  private boolean closed;

  RouterConnection(ReadWriteRouter router) {
    this.router = router;
  }

  private NodeConnection open(H2Database node) throws SQLException {
    NodeConnection c = backends.get(node);
    if (c == null || c.isClosed()) {
      c = node.openConnection(router.client(), (n, tx) -> {
        router.committed(n, tx);
        lastGtid = tx.gtid();
      });
      backends.put(node, c);
    }
    return c;
  }

  /** The backend for a statement of {@code kind}. */
  NodeConnection route(Sql.Kind kind) throws SQLException {
    if (closed) {
      throw new SQLNonTransientConnectionException("connection is closed", "08003");
    }
    if (pinned != null && !pinned.isClosed()) {
      lastNode = pinned.node().name();
      return pinned;
    }
    NodeConnection c;
    // Connector/J's replication driver: a read-only connection sends everything to a replica.
    boolean toReader = kind == Sql.Kind.READ || kind == Sql.Kind.BEGIN_READ_ONLY || readOnly;
    if (kind == Sql.Kind.BEGIN || kind == Sql.Kind.BEGIN_READ_ONLY || !autoCommit) {
      boolean readTx = kind == Sql.Kind.BEGIN_READ_ONLY || (readOnly && kind != Sql.Kind.BEGIN);
      c = open(readTx ? router.reader() : router.writer());
      if (!autoCommit) {
        c.setAutoCommit(false);
      }
      pinned = c;
    } else {
      c = open(toReader ? router.reader() : router.writer());
    }
    lastNode = c.node().name();
    return c;
  }

  void transactionEnded() {
    pinned = null;
  }

  /** Savepoints, metadata, isolation and the rest: the connection the transaction uses, else the writer. */
  private NodeConnection target() throws SQLException {
    return pinned != null ? pinned : route(Sql.Kind.WRITE);
  }

  private <T extends Statement> T track(T statement) {
    statements.add(statement);
    return statement;
  }

  // ---- routed by the statement's text

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return track(route(Sql.classify(sql)).prepareStatement(sql));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1) throws SQLException {
    return track(route(Sql.classify(sql)).prepareStatement(sql, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] a1) throws SQLException {
    return track(route(Sql.classify(sql)).prepareStatement(sql, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] a1) throws SQLException {
    return track(route(Sql.classify(sql)).prepareStatement(sql, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1, int a2) throws SQLException {
    return track(route(Sql.classify(sql)).prepareStatement(sql, a1, a2));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1, int a2, int a3) throws SQLException {
    return track(route(Sql.classify(sql)).prepareStatement(sql, a1, a2, a3));
  }

  @Override
  public Statement createStatement() throws SQLException {
    return track(new RouterStatement(this, c -> c.createStatement()));
  }

  @Override
  public Statement createStatement(int a0, int a1) throws SQLException {
    return track(new RouterStatement(this, c -> c.createStatement(a0, a1)));
  }

  @Override
  public Statement createStatement(int a0, int a1, int a2) throws SQLException {
    return track(new RouterStatement(this, c -> c.createStatement(a0, a1, a2)));
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return track(route(Sql.Kind.WRITE).prepareCall(sql));
  }

  @Override
  public CallableStatement prepareCall(String sql, int a1, int a2) throws SQLException {
    return track(route(Sql.Kind.WRITE).prepareCall(sql, a1, a2));
  }

  @Override
  public CallableStatement prepareCall(String sql, int a1, int a2, int a3) throws SQLException {
    return track(route(Sql.Kind.WRITE).prepareCall(sql, a1, a2, a3));
  }

  // ---- the session's own state

  @Override
  public void setAutoCommit(boolean value) throws SQLException {
    if (value && pinned != null) {
      pinned.setAutoCommit(true); // commits
      pinned = null;
    }
    autoCommit = value;
  }

  @Override
  public boolean getAutoCommit() {
    return autoCommit;
  }

  @Override
  public void commit() throws SQLException {
    if (pinned != null) {
      pinned.commit();
      pinned = null;
    }
  }

  @Override
  public void rollback() throws SQLException {
    if (pinned != null) {
      pinned.rollback();
      pinned = null;
    }
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    if (pinned != null) {
      pinned.rollback(savepoint); // the transaction goes on
    }
  }

  @Override
  public void setReadOnly(boolean value) {
    readOnly = value;
  }

  @Override
  public boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    SQLException failure = null;
    for (NodeConnection c : backends.values()) {
      try {
        c.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    backends.clear();
    statements.clear();
    pinned = null;
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return route(Sql.Kind.WRITE).unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || route(Sql.Kind.WRITE).isWrapperFor(iface);
  }

  @Override
  public Optional<String> lastNode() {
    return Optional.ofNullable(lastNode);
  }

  @Override
  public Optional<String> lastCommitGtid() {
    return Optional.ofNullable(lastGtid);
  }

  @Override
  public String toString() {
    return "routed connection of " + router.client() + (lastNode == null ? "" : " (last on " + lastNode + ")");
  }

  // ---- everything else: the transaction's node, else the writer

  @Override
  public void abort(Executor a0) throws SQLException {
    target().abort(a0);
  }

  @Override
  public void beginRequest() throws SQLException {
    target().beginRequest();
  }

  @Override
  public void clearWarnings() throws SQLException {
    target().clearWarnings();
  }

  @Override
  public Array createArrayOf(String a0, Object[] a1) throws SQLException {
    return target().createArrayOf(a0, a1);
  }

  @Override
  public Blob createBlob() throws SQLException {
    return target().createBlob();
  }

  @Override
  public Clob createClob() throws SQLException {
    return target().createClob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return target().createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return target().createSQLXML();
  }

  @Override
  public Struct createStruct(String a0, Object[] a1) throws SQLException {
    return target().createStruct(a0, a1);
  }

  @Override
  public void endRequest() throws SQLException {
    target().endRequest();
  }

  @Override
  public String getCatalog() throws SQLException {
    return target().getCatalog();
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return target().getClientInfo();
  }

  @Override
  public String getClientInfo(String a0) throws SQLException {
    return target().getClientInfo(a0);
  }

  @Override
  public int getHoldability() throws SQLException {
    return target().getHoldability();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return target().getMetaData();
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return target().getNetworkTimeout();
  }

  @Override
  public String getSchema() throws SQLException {
    return target().getSchema();
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return target().getTransactionIsolation();
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return target().getTypeMap();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return target().getWarnings();
  }

  @Override
  public boolean isValid(int a0) throws SQLException {
    return target().isValid(a0);
  }

  @Override
  public String nativeSQL(String a0) throws SQLException {
    return target().nativeSQL(a0);
  }

  @Override
  public void releaseSavepoint(Savepoint a0) throws SQLException {
    target().releaseSavepoint(a0);
  }

  @Override
  public void setCatalog(String a0) throws SQLException {
    target().setCatalog(a0);
  }

  @Override
  public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
    clientInfoTarget().setClientInfo(a0, a1);
  }

  @Override
  public void setClientInfo(Properties a0) throws SQLClientInfoException {
    clientInfoTarget().setClientInfo(a0);
  }

  /** {@link #target}, failing as {@code setClientInfo} must: with a {@link SQLClientInfoException}. */
  private NodeConnection clientInfoTarget() throws SQLClientInfoException {
    try {
      return target();
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), Map.of(), e);
    }
  }

  @Override
  public void setHoldability(int a0) throws SQLException {
    target().setHoldability(a0);
  }

  @Override
  public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
    target().setNetworkTimeout(a0, a1);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return target().setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String a0) throws SQLException {
    return target().setSavepoint(a0);
  }

  @Override
  public void setSchema(String a0) throws SQLException {
    target().setSchema(a0);
  }

  @Override
  public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
    target().setShardingKey(a0, a1);
  }

  @Override
  public void setShardingKey(ShardingKey a0) throws SQLException {
    target().setShardingKey(a0);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
    return target().setShardingKeyIfValid(a0, a1);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
    return target().setShardingKeyIfValid(a0, a1, a2);
  }

  @Override
  public void setTransactionIsolation(int a0) throws SQLException {
    target().setTransactionIsolation(a0);
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
    target().setTypeMap(a0);
  }
}

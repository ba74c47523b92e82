package dev.webstack.database;

import java.sql.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the {@link ReadWriteRouter}: a backend connection per node, opened on first use, a
 * pinned one inside a transaction. Statements are routed when executed ({@link RouterStatement},
 * {@link RouterPreparedStatement}); every other call goes to the transaction's node, else to the writer.
 *
 * <p>The session state the application sets here (autocommit, read-only) is applied to every backend connection,
 * the open ones at once and the others when first used, because any of them may run the application's next
 * statement: a backend left in manual-commit mode after a transaction would silently roll back the autocommit
 * writes that land on it later. Text {@code SET autocommit}, {@code COMMIT} and {@code ROLLBACK} are handled here
 * too ({@link #control}), so the routing follows the transaction whichever way the application opened it.
 *
 * <p>When the node under a transaction goes away (killed, its connection closed), the transaction is lost: every
 * statement fails with SQLState 08S01 until the application ends the transaction ({@code rollback()},
 * {@code commit()}, which fails too, {@code setAutoCommit(true)} or {@code close()}), as a MySQL client's does
 * when its server dies. Carrying on with the next statement on the new primary would commit half a transaction.
 *
 * <p>Written out rather than a {@code java.lang.reflect.Proxy}: a proxy's class generation and reflective calls
 * cost a cold JVM tens of milliseconds on its first request. Not thread-safe, as JDBC connections are not meant to
 * be shared.
 */
final class RouterConnection implements Connection, RoutedConnection {

  private static final Logger log = LoggerFactory.getLogger(RouterConnection.class);

  private final ReadWriteRouter router;
  private final Map<H2Database, NodeConnection> backends = new LinkedHashMap<>();
  private boolean autoCommit = true;
  private boolean readOnly;
  private NodeConnection pinned;
  /** The node whose death lost the open transaction, until the application ends it; else null. */
  private H2Database lostOn;
  private String lastNode;
  private String lastGtid;
  /** Volatile: {@link #abort} may come from another thread (a pool shutting down). */
  private volatile boolean closed;

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
      synchronized (backends) { // against abort's copy, from another thread
        backends.put(node, c);
      }
      if (closed) { // aborted meanwhile
        c.close();
        checkOpen();
      }
    }
    return c;
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLNonTransientConnectionException("connection is closed", "08003");
    }
  }

  /**
   * The transaction's backend, or null outside a transaction; fails with 08S01 once the transaction was lost with
   * its node (the pinned connection found closed), until the application ends it.
   */
  private NodeConnection livePin() throws SQLException {
    if (lost()) {
      throw lostTransaction();
    }
    return pinned;
  }

  /** Whether the open transaction was lost with its node; notices it when the pinned connection is closed. */
  private boolean lost() throws SQLException {
    if (pinned != null && pinned.isClosed()) {
      lostOn = pinned.node();
      pinned = null;
      log.debug("{}: the transaction on {} is lost with its connection", this, lostOn.name());
    }
    return lostOn != null;
  }

  /** A call on a backend, made on every open one by {@link #applyToBackends}. */
  private interface BackendCall {
    void apply(NodeConnection c) throws SQLException;
  }

  /**
   * Applies {@code call} to every open backend (a reopened one gets the state from {@link #follow}), then throws
   * the first failure.
   */
  private void applyToBackends(BackendCall call) throws SQLException {
    SQLException failure = null;
    for (NodeConnection c : backends.values()) {
      if (c.isClosed()) {
        continue;
      }
      try {
        call.apply(c);
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private SQLException lostTransaction() {
    return new SQLRecoverableException(
        "Communications link failure: the connection to " + lostOn.name() + ", which ran this transaction, was"
            + " lost; the transaction is rolled back and must be retried",
        "08S01");
  }

  /**
   * The backend for a statement of {@code kind}, chosen when it is prepared or executed: the transaction's node,
   * else by the statement's text. Writes are not checked here; see {@link #forExecution}.
   */
  NodeConnection route(Sql.Kind kind) throws SQLException {
    checkOpen();
    NodeConnection p = livePin();
    if (p != null) {
      lastNode = p.node().name();
      return p;
    }
    NodeConnection c;
    // Connector/J's replication driver: a read-only connection sends everything to a replica.
    boolean toReader = kind == Sql.Kind.READ || kind == Sql.Kind.BEGIN_READ_ONLY || readOnly;
    if (kind == Sql.Kind.BEGIN || kind == Sql.Kind.BEGIN_READ_ONLY || !autoCommit) {
      boolean readTx = kind == Sql.Kind.BEGIN_READ_ONLY || (readOnly && kind != Sql.Kind.BEGIN);
      c = open(readTx ? router.reader() : router.writer());
      follow(c);
      pinned = c;
    } else {
      c = open(toReader ? router.reader() : router.writer());
      follow(c);
    }
    lastNode = c.node().name();
    return c;
  }

  /**
   * The backend to execute a statement of {@code kind} on: the transaction's node (pinning it, when a transaction
   * is open but not yet on a node), else by the statement's text, as for a plain statement: a prepared read goes
   * round the replicas and a prepared write follows a failover on its next execution (the prepared statement keeps
   * one real statement per node it ran on). A write on a read-only connection is refused as MySQL refuses it:
   * 1290 on a read-only server, checked first, else 1792 for the read-only session (by the backend, which carries
   * the flag); the second is what a read-only connection sees when, with no replica running, it reaches the
   * primary.
   */
  NodeConnection forExecution(Sql.Kind kind) throws SQLException {
    return forExecution(kind, null);
  }

  /**
   * {@link #forExecution(Sql.Kind)} for a prepared statement's first execution: {@code preparedOn}, the backend
   * it was prepared on, which the routing chose moments ago, unless a transaction has begun since or the backend
   * closed. Routing again would take a second turn of the replicas' (or, in a split brain, the writers') round
   * robin for one statement.
   */
  NodeConnection forExecution(Sql.Kind kind, NodeConnection preparedOn) throws SQLException {
    NodeConnection c;
    if (preparedOn != null && autoCommit && livePin() == null && kind != Sql.Kind.BEGIN
        && kind != Sql.Kind.BEGIN_READ_ONLY && !preparedOn.isClosed()) {
      checkOpen();
      c = preparedOn;
      lastNode = c.node().name();
    } else {
      c = route(kind);
    }
    if (readOnly && kind.writes()) {
      c.node().checkWritable();
    }
    return c;
  }

  /** Makes a backend follow the session state the application set on this connection. */
  private void follow(NodeConnection c) throws SQLException {
    if (c.getAutoCommit() != autoCommit) {
      c.setAutoCommit(autoCommit);
    }
    if (c.isReadOnly() != readOnly) {
      c.setReadOnly(readOnly);
    }
  }

  /**
   * Handles transaction-control text ({@code SET autocommit}, {@code COMMIT}, {@code ROLLBACK}, {@code BEGIN},
   * {@code START TRANSACTION}) from a statement of this connection, so that the router's own state (autocommit,
   * the pinned node) changes with the session's; returns false when {@code kind} is none of them.
   */
  boolean control(Sql.Kind kind, String sql) throws SQLException {
    switch (kind) {
      case SET_AUTOCOMMIT, COMMIT, ROLLBACK, BEGIN, BEGIN_READ_ONLY -> Sql.classifySingle(sql); // "COMMIT; DROP .."
      default -> {
        return false;
      }
    }
    switch (kind) {
      case SET_AUTOCOMMIT -> setAutoCommit(Sql.autocommitValue(sql));
      case COMMIT -> commit();
      case ROLLBACK -> rollback();
      case BEGIN, BEGIN_READ_ONLY -> {
        // Pins the node; the backend's own statement opens the transaction (H2 cannot prepare START TRANSACTION).
        try (Statement s = forExecution(kind).createStatement()) {
          s.execute(sql);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Savepoints, metadata, isolation and the rest: the connection the transaction uses, else the writer. */
  private NodeConnection target() throws SQLException {
    return route(Sql.Kind.WRITE);
  }

  // ---- routed by the statement's text

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return new RouterPreparedStatement(this, sql, c -> c.prepareStatement(sql));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1) throws SQLException {
    return new RouterPreparedStatement(this, sql, c -> c.prepareStatement(sql, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] a1) throws SQLException {
    return new RouterPreparedStatement(this, sql, c -> c.prepareStatement(sql, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] a1) throws SQLException {
    return new RouterPreparedStatement(this, sql, c -> c.prepareStatement(sql, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1, int a2) throws SQLException {
    return new RouterPreparedStatement(this, sql, c -> c.prepareStatement(sql, a1, a2));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1, int a2, int a3) throws SQLException {
    return new RouterPreparedStatement(this, sql, c -> c.prepareStatement(sql, a1, a2, a3));
  }

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    return new RouterStatement(this, c -> c.createStatement());
  }

  @Override
  public Statement createStatement(int a0, int a1) throws SQLException {
    checkOpen();
    return new RouterStatement(this, c -> c.createStatement(a0, a1));
  }

  @Override
  public Statement createStatement(int a0, int a1, int a2) throws SQLException {
    checkOpen();
    return new RouterStatement(this, c -> c.createStatement(a0, a1, a2));
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return forExecution(Sql.Kind.WRITE).prepareCall(sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int a1, int a2) throws SQLException {
    return forExecution(Sql.Kind.WRITE).prepareCall(sql, a1, a2);
  }

  @Override
  public CallableStatement prepareCall(String sql, int a1, int a2, int a3) throws SQLException {
    return forExecution(Sql.Kind.WRITE).prepareCall(sql, a1, a2, a3);
  }

  // ---- the session's own state

  /**
   * Sets the mode on every open backend, not only the transaction's: after {@code commit()} nothing is pinned, and
   * a backend left in manual-commit mode would hold (and at close roll back) the autocommit writes sent to it next.
   * Switching on commits the open transaction (JDBC); when that was lost with its node, this fails with 08S01 and
   * ends it, as {@link #commit} does.
   */
  @Override
  public void setAutoCommit(boolean value) throws SQLException {
    checkOpen();
    if (value && lost()) {
      SQLException e = lostTransaction();
      lostOn = null;
      autoCommit = true;
      applyToBackends(c -> c.setAutoCommit(true));
      throw e;
    }
    if (value && pinned != null) {
      pinned.setAutoCommit(true); // commits
      pinned = null;
    }
    autoCommit = value;
    applyToBackends(c -> c.setAutoCommit(value));
  }

  @Override
  public boolean getAutoCommit() {
    return autoCommit;
  }

  /** Commits the transaction's node; a transaction lost with its node fails with 08S01, and is over. */
  @Override
  public void commit() throws SQLException {
    checkOpen();
    if (lost()) {
      SQLException e = lostTransaction();
      lostOn = null;
      throw e;
    }
    if (pinned != null) {
      pinned.commit();
      pinned = null;
    }
  }

  /** Rolls the transaction's node back; a transaction lost with its node is over already, and this says yes. */
  @Override
  public void rollback() throws SQLException {
    checkOpen();
    if (lost()) {
      log.debug("{}: rollback of the transaction lost on {}", this, lostOn.name());
      lostOn = null;
      return;
    }
    if (pinned != null) {
      NodeConnection p = pinned;
      pinned = null; // over even when the rollback fails
      p.rollback();
    }
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    checkOpen();
    NodeConnection p = livePin();
    if (p != null) {
      p.rollback(savepoint); // the transaction goes on
    }
  }

  /**
   * Marks the session read-only on every backend too, so that a write reaching the primary (no replica running)
   * fails with 1792 as in a read-only MySQL session rather than succeeding.
   */
  @Override
  public void setReadOnly(boolean value) throws SQLException {
    checkOpen();
    readOnly = value;
    applyToBackends(c -> c.setReadOnly(value));
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
    List<NodeConnection> open;
    synchronized (backends) {
      open = new ArrayList<>(backends.values());
    }
    for (NodeConnection c : open) {
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
    synchronized (backends) {
      backends.clear();
    }
    pinned = null;
    lostOn = null;
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

  /**
   * Marks the connection closed at once and closes every backend on {@code executor}, rolling back the open
   * transaction (JDBC). A pool calls this from its own thread for connections still borrowed when it shuts down
   * (HikariCP, which then closes nothing itself), so it reaches no node first: before, it was passed to the
   * writer's backend alone, where H2's {@code abort} does nothing, and a leaked transaction kept its row locks.
   */
  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw new SQLException("abort: the executor is null", "HY009");
    }
    if (closed) {
      return;
    }
    closed = true;
    List<NodeConnection> open;
    synchronized (backends) {
      open = new ArrayList<>(backends.values());
    }
    executor.execute(() -> {
      for (NodeConnection c : open) {
        try {
          c.close();
        } catch (SQLException | RuntimeException e) {
          log.debug("{}: closing {} on abort failed", this, c, e);
        }
      }
    });
  }

  // ---- everything else: the transaction's node, else the writer

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

  /** False once closed or while a transaction lost with its node is not yet ended. */
  @Override
  public boolean isValid(int a0) throws SQLException {
    if (a0 < 0) {
      throw new SQLException("negative timeout", "22023");
    }
    if (closed || lost()) {
      return false;
    }
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

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
 * {@link RouterPreparedStatement}); savepoints go to the transaction's node, else to the writer, pinning it; calls
 * that run no statement are answered here or by an open backend, and never pin a node (see {@link #session}).
 *
 * <p>The session state the application sets here (autocommit, read-only, isolation, schema) is applied to every
 * backend connection, the open ones at once and the others when first used, because any of them may run the
 * application's next statement: a backend left in manual-commit mode after a transaction would silently roll back
 * the autocommit writes that land on it later. Text {@code SET autocommit}, {@code COMMIT}, {@code ROLLBACK}, {@code USE}
 * and {@code SET SCHEMA} are handled here too ({@link #control}), so the routing follows the transaction and the
 * schema whichever way the application set them.
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
  /** The level the application set, else -1: the nodes' default. Carried to every backend, as read-only is. */
  private int isolation = -1;
  /** The schema the application set, else null: the nodes' default. Carried to every backend. */
  private String schema;
  /** Kept here: the nodes, H2 in this JVM, have no socket for it to act on. */
  private int networkTimeout;
  /** Kept here, as Connector/J's default client-info provider keeps it in the client. */
  private final Properties clientInfo = new Properties();
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

  /** The first backend still open, else null. */
  private NodeConnection openBackend() throws SQLException {
    for (NodeConnection c : backends.values()) {
      if (!c.isClosed()) {
        return c;
      }
    }
    return null;
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
    // USE / SET SCHEMA begins no transaction (MySQL), and pins nothing, as setSchema does not: pinned, a failover
    // before the first statement lost a transaction that had not begun.
    if (kind == Sql.Kind.BEGIN || kind == Sql.Kind.BEGIN_READ_ONLY || !autoCommit && kind != Sql.Kind.SET_SCHEMA) {
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
    if (isolation >= 0 && c.getTransactionIsolation() != isolation) {
      c.setTransactionIsolation(isolation);
    }
    if (schema != null && !schema.equals(c.getSchema())) {
      c.setSchema(schema);
    }
  }

  /**
   * The backend for a call that runs no statement (metadata, warnings, LOB factories, catalog): the transaction's,
   * else one already open, else the writer's (a replica's while the writer cannot be reached). Never pins a node:
   * in manual-commit mode the transaction begins with its first statement, not with a pool's check or a metadata
   * call, which would otherwise tie the next transaction to the primary of that moment, even after a failover.
   */
  private NodeConnection session() throws SQLException {
    checkOpen();
    NodeConnection p = livePin();
    if (p != null) {
      return p;
    }
    NodeConnection c = openBackend();
    if (c != null) {
      return c;
    }
    try {
      c = open(router.writer());
    } catch (SQLException writerDown) {
      c = open(router.reader());
    }
    follow(c);
    return c;
  }

  /**
   * Handles transaction-control text ({@code SET autocommit}, {@code COMMIT}, {@code ROLLBACK}, {@code BEGIN},
   * {@code START TRANSACTION}) and schema changes ({@code USE}, {@code SET SCHEMA}) from a statement of this
   * connection, so that the router's own state (autocommit, the pinned node, the schema every backend uses)
   * changes with the session's; returns false when {@code kind} is none of them.
   */
  boolean control(Sql.Kind kind, String sql) throws SQLException {
    switch (kind) {
      case SET_AUTOCOMMIT, COMMIT, ROLLBACK, BEGIN, BEGIN_READ_ONLY, SET_SCHEMA ->
          Sql.classifySingle(sql); // "COMMIT; DROP .."
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
      case SET_SCHEMA -> {
        // One node resolves the name (quotes, case, existence: its error is the client's), then every backend
        // follows, as after setSchema: ProxySQL keeps a client's USE and applies it on whichever backend serves it.
        // The node it ran on goes back too when another refuses the name: all or nothing, as setSchema.
        NodeConnection c = forExecution(kind);
        String was = c.getSchema();
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
        try {
          setSchema(c.getSchema());
        } catch (SQLException e) {
          try {
            c.setSchema(was);
          } catch (SQLException back) {
            e.addSuppressed(back);
          }
          throw e;
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Savepoints: the connection the transaction uses, else the writer, pinned (a savepoint opens the transaction). */
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
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
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
  public boolean isReadOnly() throws SQLException {
    checkOpen();
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
    return session().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || session().isWrapperFor(iface);
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
    Runnable closeAll = () -> {
      for (NodeConnection c : open) {
        try {
          c.close();
        } catch (SQLException | RuntimeException e) {
          log.debug("{}: closing {} on abort failed", this, c, e);
        }
      }
    };
    try {
      executor.execute(closeAll);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // A pool shutting down may hand over an executor that takes nothing more: close here rather than leave the
      // node connections, and the open transaction's locks, behind a connection that says it is closed.
      log.debug("{}: the abort executor refused the close; closing in the calling thread", this, e);
      closeAll.run();
    }
  }

  // ---- everything else: answered here, or by an open backend without pinning it

  /** A pool's hint, with nothing to do here: the backends are per node and opened on demand. */
  @Override
  public void beginRequest() throws SQLException {
    checkOpen();
  }

  /** On every open backend, reaching no node: a pool calls it on every connection it takes back. */
  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    applyToBackends(NodeConnection::clearWarnings);
  }

  @Override
  public Array createArrayOf(String a0, Object[] a1) throws SQLException {
    return session().createArrayOf(a0, a1);
  }

  @Override
  public Blob createBlob() throws SQLException {
    return session().createBlob();
  }

  @Override
  public Clob createClob() throws SQLException {
    return session().createClob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return session().createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return session().createSQLXML();
  }

  @Override
  public Struct createStruct(String a0, Object[] a1) throws SQLException {
    return session().createStruct(a0, a1);
  }

  @Override
  public void endRequest() throws SQLException {
    checkOpen();
  }

  @Override
  public String getCatalog() throws SQLException {
    return session().getCatalog();
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    checkOpen();
    Properties copy = new Properties();
    copy.putAll(clientInfo);
    return copy;
  }

  @Override
  public String getClientInfo(String name) throws SQLException {
    checkOpen();
    return clientInfo.getProperty(name);
  }

  @Override
  public int getHoldability() throws SQLException {
    return session().getHoldability();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return session().getMetaData();
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return networkTimeout;
  }

  @Override
  public String getSchema() throws SQLException {
    return schema != null ? schema : session().getSchema();
  }

  /** What the application set, else the nodes' default, H2's READ COMMITTED (MySQL's is REPEATABLE READ). */
  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return isolation >= 0 ? isolation : TRANSACTION_READ_COMMITTED;
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return session().getTypeMap();
  }

  /** The warnings of the node that ran the last statement; none before the first. */
  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    for (NodeConnection c : backends.values()) {
      if (c.node().name().equals(lastNode) && !c.isClosed()) {
        return c.getWarnings();
      }
    }
    return null;
  }

  /**
   * False once closed or while a transaction lost with its node is not yet ended; the transaction's node answers
   * for an open transaction; otherwise true without reaching a node, as ProxySQL answers a client's ping itself: the
   * next statement opens a backend on whichever node it routes to. Before, this asked the writer, so a pool could
   * not open a connection while the primary was down (not even for reads), and in manual-commit mode the check
   * pinned the next transaction to the primary of that moment.
   */
  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw new SQLException("negative timeout", "22023");
    }
    if (closed || lost()) {
      return false;
    }
    return pinned == null || pinned.isValid(timeout);
  }

  @Override
  public String nativeSQL(String a0) throws SQLException {
    return session().nativeSQL(a0);
  }

  @Override
  public void releaseSavepoint(Savepoint a0) throws SQLException {
    target().releaseSavepoint(a0);
  }

  @Override
  public void setCatalog(String a0) throws SQLException {
    session().setCatalog(a0);
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    checkClientInfoOpen();
    if (value == null) {
      clientInfo.remove(name);
    } else {
      clientInfo.setProperty(name, value);
    }
  }

  /** Replaces every property (JDBC). */
  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    checkClientInfoOpen();
    clientInfo.clear();
    clientInfo.putAll(properties);
  }

  /** {@link #checkOpen}, failing as {@code setClientInfo} must: with a {@link SQLClientInfoException}. */
  private void checkClientInfoOpen() throws SQLClientInfoException {
    try {
      checkOpen();
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), Map.of(), e);
    }
  }

  @Override
  public void setHoldability(int a0) throws SQLException {
    session().setHoldability(a0);
  }

  /** Kept, not sent: a pool sets and restores it around its checks, which must not need a reachable node. */
  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    if (executor == null || milliseconds < 0) {
      throw new SQLException("setNetworkTimeout: needs an executor and a timeout >= 0", "HY009");
    }
    networkTimeout = milliseconds;
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return target().setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String a0) throws SQLException {
    return target().setSavepoint(a0);
  }

  /**
   * On every backend, the ones opened later included: the next statement may run on any node. All or nothing: a
   * node refusing the name (no such schema) fails the call and the backends that had moved go back, and the name is
   * recorded only once every open backend took it, at least one (opened for it when none is: a driver's
   * {@code USE} reaches a server too). Recorded first, a refused name was carried to each backend by {@link #follow}
   * and failed every later statement.
   */
  @Override
  public void setSchema(String name) throws SQLException {
    session(); // at least one open backend, to resolve the name
    Map<NodeConnection, String> moved = new LinkedHashMap<>();
    try {
      for (NodeConnection c : backends.values()) {
        if (!c.isClosed()) {
          String was = c.getSchema();
          c.setSchema(name);
          moved.put(c, was);
        }
      }
    } catch (SQLException e) {
      moved.forEach((c, was) -> {
        try {
          c.setSchema(was);
        } catch (SQLException back) {
          e.addSuppressed(back);
        }
      });
      throw e;
    }
    schema = name;
  }

  @Override
  public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
    session().setShardingKey(a0, a1);
  }

  @Override
  public void setShardingKey(ShardingKey a0) throws SQLException {
    session().setShardingKey(a0);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
    return session().setShardingKeyIfValid(a0, a1);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
    return session().setShardingKeyIfValid(a0, a1, a2);
  }

  /**
   * On every backend, the ones opened later included, as ProxySQL carries a client's isolation level to whichever
   * backend connection serves it: set on the writer alone, replicas' reads and a promoted primary's transactions
   * ran at the nodes' default. Inside a transaction it applies from the next one (see {@link NodeConnection}).
   */
  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    switch (level) {
      case TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ,
          TRANSACTION_SERIALIZABLE -> isolation = level;
      default -> throw new SQLException("Unsupported transaction isolation level: " + level, "HY024");
    }
    applyToBackends(c -> c.setTransactionIsolation(level));
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
    session().setTypeMap(a0);
  }
}

package dev.webstack.database;

import dev.webstack.internal.DelegatingConnection;
import dev.webstack.database.internal.Capture;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.h2.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's connection to one database node: the place where replication owns the transaction.
 *
 * <p>When the node replicates, the H2 connection underneath never autocommits: this class keeps the client's
 * autocommit setting and commits itself, so that every commit goes through {@link H2Database#commit}: the row
 * images the capture collected get a GTID, go to the binary log and to the replicas (and wait for a
 * semi-sync acknowledgement) before H2 commits, MySQL's AFTER_SYNC order. A failed statement truncates the images
 * to what they were before it; a rollback drops them; DDL commits what is pending, runs, and is logged as a
 * statement event of its own.
 *
 * <p>Read-only nodes refuse writes with MySQL's error 1290; a session marked read-only ({@link #setReadOnly}) with
 * MySQL's 1792. Not thread-safe, as JDBC connections are not meant to be shared.
 */
final class NodeConnection extends DelegatingConnection implements Capture.RowSink {

  private static final Logger LOG = LoggerFactory.getLogger(NodeConnection.class);

  /** Told about every commit that produced a GTID, as MySQL's {@code session_track_gtids} tells the client. */
  interface CommitListener {
    void committed(H2Database node, BinlogTx tx);
  }

  private final H2Database node;
  private final String client;
  private final CommitListener listener;
  private final boolean capture;
  private boolean autoCommit = true;
  private boolean explicitTx;
  /** The last statement's number (see {@link BinlogTx.RowEvent#statement}); wraps, skipping 0. */
  private int statementNo;
  /** The number the running statement's rows get. */
  private int currentStatement;
  private boolean sessionReadOnly;
  /** In a transaction begun with {@code START TRANSACTION READ ONLY}: writes fail with 1792 until it ends. */
  private boolean txReadOnly;
  /** A transaction is under way: a statement ran in it, or it began with {@code BEGIN}; ended by commit or rollback. */
  private boolean txActive;
  /**
   * A statement classified as a write ran in this transaction (a {@code SELECT NEXT VALUE FOR} is one): only then
   * may a commit without rows log a sequence move. A read's commit never logs, as in MySQL, even while another
   * session's draw is not logged yet.
   */
  private boolean wroteInTx;
  /** A level set during a transaction, for the next one (see {@link #setTransactionIsolation}); else -1. */
  private int pendingIsolation = -1;
  private ArrayList<Object> buffer = new ArrayList<>();
  private final Map<Savepoint, Integer> savepoints = new IdentityHashMap<>();
  private final Map<String, Integer> namedSavepoints = new HashMap<>();
  private BinlogTx lastCommit;
  private boolean closed;

  NodeConnection(H2Database node, Connection raw, String client, CommitListener listener, boolean capture)
      throws SQLException {
    super(raw);
    this.node = node;
    this.client = client;
    this.listener = listener;
    this.capture = capture;
    if (capture) {
      raw.setAutoCommit(false);
    }
  }

  H2Database node() {
    return node;
  }

  String client() {
    return client;
  }

  /** The GTID of this session's last commit, or null. */
  BinlogTx lastCommit() {
    return lastCommit;
  }

  Connection rawConnection() {
    return raw;
  }

  // ---- statements

  /**
   * {@link Sql#classifySingle}, and then, for text with a semicolon, H2's own parser as the judge of whether it
   * holds a second statement: a lexical scan can disagree with H2's tokenizer (its {@code $} in names, nested
   * comments), and text that H2 runs as several commands would bypass the read-only check and the capture. H2 keeps
   * the parsed command in its session's cache, so the statement's own execution does not parse it again.
   */
  Sql.Kind classify(String sql) throws SQLException {
    Sql.Kind kind = Sql.classifySingle(sql);
    if (sql.indexOf(';') >= 0 && raw instanceof org.h2.jdbc.JdbcConnection h2) {
      org.h2.command.CommandInterface command;
      try {
        command = h2.getSession().prepareCommand(sql);
      } catch (RuntimeException notParsed) { // H2's own error comes when the statement runs
        return kind;
      }
      try {
        if (command.getClass().getSimpleName().equals("CommandList")) { // package-private in H2 2.x
          throw Sql.severalStatements(sql.substring(sql.indexOf(';') + 1));
        }
      } finally {
        command.close();
      }
    }
    return kind;
  }

  /** Runs one statement of {@code kind}: checks, capture, autocommit. */
  <T> T run(Sql.Kind kind, String sql, SqlCall<T> call) throws SQLException {
    int n = statementNo + 1;
    statementNo = n == 0 ? 1 : n; // 0 marks a batch's rows
    currentStatement = statementNo;
    try {
      return runStatement(kind, sql, call, false);
    } catch (SQLException e) {
      throw lostIfDown(e);
    }
  }

  /**
   * {@link #run} for a prepared statement's batch: H2 runs its entries in one call, so their rows cannot be told
   * apart by statement; they are marked to be applied one after the other.
   */
  <T> T runBatch(Sql.Kind kind, String sql, SqlCall<T> call, PreparedStatement rawStatement) throws SQLException {
    currentStatement = 0;
    try {
      return runStatement(kind, sql, call, true);
    } catch (SQLException e) {
      throw lostIfDown(e);
    } finally {
      try {
        rawStatement.clearBatch(); // also when refused before it ran: its entries must not run with a later batch
      } catch (SQLException closed) {
        if (node.isAccepting() && !raw.isClosed()) {
          throw closed;
        } // the kill closed the statement with its connection: nothing to clear, and the 08S01 above stands
      }
    }
  }

  private <T> T runStatement(Sql.Kind kind, String sql, SqlCall<T> call, boolean batch) throws SQLException {
    checkOpen();
    checkAllowed(kind);
    if (!capture) {
      return call.run();
    }
    if (kind == Sql.Kind.DDL) {
      return ddl(sql, call);
    }
    if (!autoCommit || explicitTx) {
      txActive = true;
    }
    if (kind == Sql.Kind.WRITE) {
      wroteInTx = true;
    }
    int mark = buffer.size();
    Savepoint batchStart = batch && !(autoCommit && !explicitTx) ? raw.setSavepoint() : null;
    Capture.Slot slot = Capture.slot();
    slot.sink = this;
    T result;
    try {
      result = call.run();
    } catch (SQLException e) {
      slot.sink = null;
      if (e instanceof java.sql.BatchUpdateException failure) {
        batchFailed(failure, mark, batchStart);
        throw e;
      }
      try {
        failed(mark);
      } catch (SQLException cleanup) { // the connection died with the statement, say
        e.addSuppressed(cleanup);
      }
      throw e;
    } finally {
      slot.sink = null;
    }
    if (batchStart != null) {
      raw.releaseSavepoint(batchStart);
    }
    if (autoCommit && !explicitTx) {
      commitTx();
    }
    return result;
  }

  /**
   * A prepared batch with failed entries. H2 went on after them and undid only them, as Connector/J's {@code
   * continueBatchOnError} does, so the entries that succeeded stand and, in autocommit mode, are committed as MySQL
   * commits each statement of a batch it does not rewrite. That is exact when the failed entries left no row image
   * (a failed single-row entry never does): the rows captured then number what the successful entries report.
   * Otherwise (a multi-row entry failed halfway, or a count is unknown) which captured rows H2 undid cannot be told,
   * so the whole batch is undone on the node too, rather than replicas getting rows the node does not have.
   */
  private void batchFailed(java.sql.BatchUpdateException e, int mark, Savepoint batchStart) {
    long reported = 0;
    for (int count : e.getUpdateCounts()) {
      if (count == Statement.SUCCESS_NO_INFO) {
        reported = -1;
        break;
      }
      reported += Math.max(0, count);
    }
    boolean exact = reported == buffer.size() - mark;
    try {
      if (exact && buffer.size() > 0 && !containsUncommitted()) {
        buffer.clear(); // H2 rolled back the whole transaction (a deadlock victim, say): nothing stands
        return;
      }
      if (!exact) {
        truncate(mark);
        if (batchStart != null) {
          raw.rollback(batchStart);
        } else {
          raw.rollback();
          buffer.clear();
        }
      } else if (batchStart != null) {
        raw.releaseSavepoint(batchStart);
      }
      if (autoCommit && !explicitTx) {
        commitTx();
      }
    } catch (SQLException cleanup) {
      e.addSuppressed(cleanup);
    }
  }

  /**
   * Handles transaction-control text (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET AUTOCOMMIT) when the node captures;
   * returns false when {@code kind} is not one of them and the statement must run normally.
   */
  boolean control(Sql.Kind kind, String sql) throws SQLException {
    if (!capture) {
      return false;
    }
    switch (kind) {
      case BEGIN, BEGIN_READ_ONLY, COMMIT, ROLLBACK, SAVEPOINT, ROLLBACK_TO, SET_AUTOCOMMIT -> checkOpen();
      default -> {
        return false; // the statement's own run checks the connection; no second look here on the hot path
      }
    }
    switch (kind) {
      case BEGIN, BEGIN_READ_ONLY -> {
        if (explicitTx || !autoCommit) {
          commitTx(); // MySQL: START TRANSACTION commits the open transaction
        }
        explicitTx = true;
        txActive = true;
        txReadOnly = kind == Sql.Kind.BEGIN_READ_ONLY;
        return true;
      }
      case COMMIT -> {
        commitTx();
        return true;
      }
      case ROLLBACK -> {
        rollback();
        return true;
      }
      case SAVEPOINT -> {
        try (Statement s = raw.createStatement()) {
          s.execute(sql);
        }
        namedSavepoints.put(Sql.savepointName(sql), buffer.size());
        return true;
      }
      case ROLLBACK_TO -> {
        try (Statement s = raw.createStatement()) {
          s.execute(sql);
        }
        Integer mark = namedSavepoints.get(Sql.savepointName(sql));
        if (mark != null) {
          truncate(mark);
        }
        return true;
      }
      case SET_AUTOCOMMIT -> {
        setAutoCommit(Sql.autocommitValue(sql));
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private <T> T ddl(String sql, SqlCall<T> call) throws SQLException {
    if (!buffer.isEmpty() || explicitTx || !autoCommit) {
      commitTx(); // MySQL commits the open transaction before DDL
    }
    List<T> result = new ArrayList<>(1);
    BinlogTx tx = node.runDdl(this, sql, () -> result.add(call.run()));
    committed(tx);
    return result.get(0);
  }

  private void failed(int mark) throws SQLException {
    truncate(mark);
    if (autoCommit && !explicitTx) {
      raw.rollback();
      buffer.clear();
    } else if (mark > 0 && !containsUncommitted()) {
      buffer.clear(); // H2 rolled back the whole transaction (a deadlock victim, say)
    }
  }

  private boolean containsUncommitted() throws SQLException {
    try (Statement s = raw.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT CONTAINS_UNCOMMITTED FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private void truncate(int mark) {
    if (buffer.size() > mark) {
      buffer.subList(mark, buffer.size()).clear();
    }
  }

  private void checkAllowed(Sql.Kind kind) throws SQLException {
    if (kind.writes()) {
      if (sessionReadOnly || txReadOnly) {
        throw new SQLException("Cannot execute statement in a READ ONLY transaction.", "25006", 1792);
      }
      node.checkWritable();
    }
  }

  @Override
  public void row(String table, Value[] before, Value[] after) throws SQLException {
    node.checkWritable();
    buffer.add(new BinlogTx.RowEvent(table, before, after, currentStatement));
  }

  private void commitTx() throws SQLException {
    commitLogged();
    if (pendingIsolation >= 0) {
      applyPendingIsolation();
    }
  }

  private void commitLogged() throws SQLException {
    explicitTx = false;
    txActive = false;
    txReadOnly = false;
    if (!savepoints.isEmpty()) { // IdentityHashMap.clear fills its whole table even when empty: once per commit
      savepoints.clear();
    }
    namedSavepoints.clear();
    checkAlive();
    boolean wrote = wroteInTx;
    wroteInTx = false;
    if (buffer.isEmpty() && !(wrote && node.sequencesMoved())) {
      raw.commit();
      return;
    }
    List<Object> events = buffer;
    buffer = new ArrayList<>();
    try {
      committed(node.commit(this, events));
    } catch (SQLException e) {
      throw lostIfDown(e);
    }
  }

  /**
   * A statement or commit that a kill of the node cut short fails as every later call does, with 08S01. Without
   * this, the kill closing H2's connection under a running call surfaced as H2's "The object is already closed"
   * (90007), which an application cannot tell from a bug of its own (found by writers running while nodes were
   * killed).
   */
  private SQLException lostIfDown(SQLException e) throws SQLException {
    if (e instanceof SQLNonTransientConnectionException || node.isAccepting() && !raw.isClosed()) {
      return e;
    }
    try {
      checkAlive();
    } catch (SQLException lost) {
      lost.initCause(e);
      return lost;
    }
    return e;
  }

  private void committed(BinlogTx tx) {
    if (tx != null) {
      lastCommit = tx;
      if (listener != null) {
        listener.committed(node, tx);
      }
    }
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLNonTransientConnectionException("connection to " + node.name() + " is closed", "08003");
    }
    checkAlive();
  }

  /**
   * A connection whose node went down (killed, restarted since) is lost, as a TCP connection to a crashed MySQL
   * server is: every call fails with 08S01, and its open transaction is gone (the kill closed H2's connection,
   * which rolled it back). Checked before anything is logged, so a commit on a dead node logs nothing that the
   * node itself would not have.
   */
  /** JDBC's rule for savepoints: none in autocommit mode (H2's own connection here is never in it). */
  private void checkNotAutocommit() throws SQLException {
    if (capture ? autoCommit && !explicitTx : raw.getAutoCommit()) {
      throw new SQLException("Savepoints need a transaction: call setAutoCommit(false) first", "25000");
    }
  }

  private void checkAlive() throws SQLException {
    if (!node.isAccepting() || raw.isClosed()) {
      buffer.clear();
      explicitTx = false;
      txActive = false;
      wroteInTx = false;
      throw new SQLNonTransientConnectionException("Communications link failure: the connection to " + node.name()
          + " was lost when the node went down; open a new connection", "08S01");
    }
  }

  // ---- Connection

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    return new NodeStatement(this, raw.createStatement());
  }

  @Override
  public Statement createStatement(int a0, int a1) throws SQLException {
    checkOpen();
    return new NodeStatement(this, raw.createStatement(a0, a1));
  }

  @Override
  public Statement createStatement(int a0, int a1, int a2) throws SQLException {
    checkOpen();
    return new NodeStatement(this, raw.createStatement(a0, a1, a2));
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    Sql.Kind kind = classify(sql); // before H2 prepares every statement of multi-statement text
    return new NodePreparedStatement(this, raw.prepareStatement(sql), sql, kind);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1) throws SQLException {
    checkOpen();
    Sql.Kind kind = classify(sql); // before H2 prepares every statement of multi-statement text
    return new NodePreparedStatement(this, raw.prepareStatement(sql, a1), sql, kind);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] a1) throws SQLException {
    checkOpen();
    Sql.Kind kind = classify(sql); // before H2 prepares every statement of multi-statement text
    return new NodePreparedStatement(this, raw.prepareStatement(sql, a1), sql, kind);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] a1) throws SQLException {
    checkOpen();
    Sql.Kind kind = classify(sql); // before H2 prepares every statement of multi-statement text
    return new NodePreparedStatement(this, raw.prepareStatement(sql, a1), sql, kind);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1, int a2) throws SQLException {
    checkOpen();
    Sql.Kind kind = classify(sql); // before H2 prepares every statement of multi-statement text
    return new NodePreparedStatement(this, raw.prepareStatement(sql, a1, a2), sql, kind);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int a1, int a2, int a3) throws SQLException {
    checkOpen();
    Sql.Kind kind = classify(sql); // before H2 prepares every statement of multi-statement text
    return new NodePreparedStatement(this, raw.prepareStatement(sql, a1, a2, a3), sql, kind);
  }

  /**
   * Refused: stored procedures are not emulated (H2 has none in MySQL's sense), and a call run on H2 directly would
   * bypass what every other statement goes through here (autocommit, the read-only check, the row capture), so its
   * writes would sit uncommitted on the node and never reach a replica.
   */
  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    checkOpen();
    throw callsNotEmulated();
  }

  @Override
  public CallableStatement prepareCall(String sql, int a1, int a2) throws SQLException {
    checkOpen();
    throw callsNotEmulated();
  }

  @Override
  public CallableStatement prepareCall(String sql, int a1, int a2, int a3) throws SQLException {
    checkOpen();
    throw callsNotEmulated();
  }

  private static SQLException callsNotEmulated() {
    return new java.sql.SQLFeatureNotSupportedException("prepareCall: stored procedures are not emulated; run the "
        + "statement (a CALL of an H2 function included) through prepareStatement or createStatement", "0A000");
  }

  @Override
  public void setAutoCommit(boolean value) throws SQLException {
    checkOpen();
    if (!capture) {
      raw.setAutoCommit(value);
      return;
    }
    if (value && (!autoCommit || explicitTx)) {
      commitTx(); // JDBC: switching autocommit on commits the open transaction
    }
    autoCommit = value;
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return capture ? autoCommit : raw.getAutoCommit();
  }

  @Override
  public void commit() throws SQLException {
    checkOpen();
    if (capture) {
      commitTx();
    } else {
      raw.commit();
    }
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    buffer.clear();
    explicitTx = false;
    txActive = false;
    wroteInTx = false;
    txReadOnly = false;
    savepoints.clear();
    namedSavepoints.clear();
    raw.rollback();
    if (pendingIsolation >= 0) {
      applyPendingIsolation();
    }
  }

  /**
   * Sets the isolation level of the session's transactions. Inside a transaction of a replicating node it takes
   * effect from the next one, as MySQL's {@code SET SESSION TRANSACTION ISOLATION LEVEL} (what Connector/J sends)
   * does: H2's own {@code setTransactionIsolation} commits the open transaction, and on the H2 connection under
   * the capture that commit bypassed the binary log, so a later rollback left the rows on this node and on no
   * replica.
   */
  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (capture && txActive) {
      switch (level) {
        case TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ,
            TRANSACTION_SERIALIZABLE -> pendingIsolation = level;
        default -> throw new SQLException("Unsupported transaction isolation level: " + level, "HY024");
      }
      return;
    }
    pendingIsolation = -1;
    raw.setTransactionIsolation(level);
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return pendingIsolation >= 0 ? pendingIsolation : raw.getTransactionIsolation();
  }

  private void applyPendingIsolation() throws SQLException {
    int level = pendingIsolation;
    pendingIsolation = -1;
    raw.setTransactionIsolation(level); // nothing left to commit
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    checkOpen();
    checkNotAutocommit();
    Savepoint sp = raw.setSavepoint();
    savepoints.put(sp, buffer.size());
    return sp;
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    checkOpen();
    checkNotAutocommit();
    Savepoint sp = raw.setSavepoint(name);
    savepoints.put(sp, buffer.size());
    return sp;
  }

  @Override
  public void rollback(Savepoint sp) throws SQLException {
    checkOpen();
    raw.rollback(sp);
    Integer mark = savepoints.get(sp);
    if (mark != null) {
      truncate(mark);
    }
  }

  @Override
  public void releaseSavepoint(Savepoint sp) throws SQLException {
    checkOpen();
    raw.releaseSavepoint(sp);
    savepoints.remove(sp);
  }

  /**
   * Marks the session read-only: writes then fail with MySQL's 1792 ({@code SET SESSION TRANSACTION READ ONLY}).
   * Through the {@linkplain DatabaseCluster#dataSource() routing data source} it also sends the session's reads
   * to a replica, as Connector/J's replication driver does.
   */
  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    sessionReadOnly = readOnly;
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return sessionReadOnly;
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    buffer.clear(); // H2 rolls back an open transaction at close
    node.forget(raw);
    raw.close();
  }

  /**
   * Closes the connection on {@code executor}, rolling back its transaction (JDBC's {@code abort}). H2's own
   * {@code abort} does nothing, so a transaction left open by an aborted connection kept its locks.
   */
  @Override
  public void abort(java.util.concurrent.Executor executor) throws SQLException {
    if (executor == null) {
      throw new SQLException("abort: the executor is null", "HY009");
    }
    if (!closed) {
      Runnable closing = () -> {
        try {
          close();
        } catch (SQLException e) { // nobody to tell but the log: the connection is gone either way
          LOG.debug("closing an aborted connection to {} failed", node.name(), e);
        }
      };
      try {
        executor.execute(closing);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        LOG.debug("the abort executor refused the close of a connection to {}; closing here", node.name(), e);
        closing.run(); // rather than leave the transaction and its locks behind
      }
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    return closed || raw.isClosed();
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || raw.isWrapperFor(iface);
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : raw.unwrap(iface);
  }

  @Override
  public String toString() {
    return "connection of " + client + " to " + node.name();
  }

  /** A JDBC call that may throw. */
  interface SqlCall<T> {
    T run() throws SQLException;
  }
}

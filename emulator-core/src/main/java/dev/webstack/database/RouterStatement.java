package dev.webstack.database;

import java.sql.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement created on a {@link RouterConnection}: it learns its SQL only when executed, so it picks its node
 * then, keeping one real statement per node; settings made before the first execution are replayed on each.
 * Transaction-control text ({@code SET autocommit}, {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}) goes to the
 * connection's {@link RouterConnection#control}, so that the router knows about the transaction it opens or ends.
 * Written out rather than a {@code java.lang.reflect.Proxy}, for the same reason as its connection.
 */
final class RouterStatement implements Statement {

  /** Creates the real statement on a node's connection, with the arguments the client passed. */
  interface Factory {
    Statement create(NodeConnection connection) throws SQLException;
  }

  /** A setting made before the first execution, replayed on every real statement. */
  private interface Setting {
    void apply(Statement statement) throws SQLException;
  }

  private final RouterConnection connection;
  private final Factory factory;
  private final Map<NodeConnection, Statement> real = new LinkedHashMap<>();
  /** By name, the last call of each; applied to every real statement, the ones made later included. */
  private final Map<String, Setting> settings = new LinkedHashMap<>();
  private final List<String> batch = new ArrayList<>();
  private Statement current;
  /** The connection {@link #current} is on. */
  private NodeConnection currentOn;
  private boolean closed;
  private boolean closeOnCompletion;

  RouterStatement(RouterConnection connection, Factory factory) {
    this.connection = connection;
    this.factory = factory;
  }

  private Statement on(NodeConnection c) throws SQLException {
    Statement s = real.get(c);
    if (s == null) {
      s = factory.create(c);
      for (Setting setting : settings.values()) {
        setting.apply(s);
      }
      real.put(c, s);
    }
    return s;
  }

  /** {@link Sql#classify}, once the statement is known to be open. */
  private Sql.Kind classify(String sql) throws SQLException {
    checkOpen();
    return Sql.classify(sql);
  }

  /**
   * Refuses calls on a closed statement: before, an execution after {@code close()} made a new real statement and
   * ran. Closed too: the statement of a closed connection (JDBC), and one whose {@link #closeOnCompletion} came.
   */
  private void checkOpen() throws SQLException {
    if (isClosed()) {
      throw new SQLException("No operations allowed after statement closed", "HY010");
    }
  }

  /** The real statement for a statement of {@code kind}, on the node it routes to. */
  private Statement routed(Sql.Kind kind) throws SQLException {
    currentOn = connection.forExecution(kind);
    current = on(currentOn);
    return current;
  }

  /** The statement that ran last, or one on the writer before the first execution. */
  private Statement current() throws SQLException {
    checkOpen();
    if (current == null) {
      currentOn = connection.route(Sql.Kind.WRITE);
      current = on(currentOn);
    }
    return current;
  }

  /**
   * Applies a setting to the live statement(s) and records it, by {@code name}, for the ones the next nodes get.
   * Calls that set one property share a name ({@code setMaxRows} and {@code setLargeMaxRows}: "maxRows"), so the
   * last call wins on a statement made later; by method name, a later statement got them in first-call order.
   */
  private void setting(String name, Setting setting) throws SQLException {
    checkOpen();
    for (var it = real.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().isClosed()) {
        it.remove(); // a killed node's: it cannot run again
      } else {
        setting.apply(e.getValue());
      }
    }
    settings.put(name, setting);
  }

  // ---- executions, routed by their text

  @Override
  public boolean execute(String sql) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return false;
    }
    return routed(kind).execute(sql);
  }

  @Override
  public boolean execute(String sql, int a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return false;
    }
    return routed(kind).execute(sql, a1);
  }

  @Override
  public boolean execute(String sql, int[] a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return false;
    }
    return routed(kind).execute(sql, a1);
  }

  @Override
  public boolean execute(String sql, String[] a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return false;
    }
    return routed(kind).execute(sql, a1);
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    return RouterResultSet.of(routed(classify(sql)).executeQuery(sql), this);
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return routed(kind).executeUpdate(sql);
  }

  @Override
  public int executeUpdate(String sql, int a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return routed(kind).executeUpdate(sql, a1);
  }

  @Override
  public int executeUpdate(String sql, int[] a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return routed(kind).executeUpdate(sql, a1);
  }

  @Override
  public int executeUpdate(String sql, String[] a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return routed(kind).executeUpdate(sql, a1);
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return routed(kind).executeLargeUpdate(sql);
  }

  @Override
  public long executeLargeUpdate(String sql, int a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return routed(kind).executeLargeUpdate(sql, a1);
  }

  @Override
  public long executeLargeUpdate(String sql, int[] a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return routed(kind).executeLargeUpdate(sql, a1);
  }

  @Override
  public long executeLargeUpdate(String sql, String[] a1) throws SQLException {
    Sql.Kind kind = classify(sql);
    if (connection.control(kind, sql)) {
      return 0;
    }
    return routed(kind).executeLargeUpdate(sql, a1);
  }

  // ---- batches go to the writer

  @Override
  public void addBatch(String sql) throws SQLException {
    checkOpen();
    batch.add(sql);
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
  }

  private Statement batchOnWriter() throws SQLException {
    checkOpen();
    currentOn = connection.forExecution(Sql.Kind.WRITE);
    current = on(currentOn);
    for (String sql : batch) {
      current.addBatch(sql);
    }
    batch.clear();
    return current;
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return batchOnWriter().executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return batchOnWriter().executeLargeBatch();
  }

  // ---- life cycle

  @Override
  public void close() throws SQLException {
    closed = true;
    for (Statement s : real.values()) {
      s.close();
    }
    real.clear();
  }

  @Override
  public boolean isClosed() throws SQLException {
    if (!closed && (connection.isClosed()
        || closeOnCompletion && current != null && !currentOn.isClosed() && current.isClosed())) {
      close();
    }
    return closed;
  }

  /** The routed connection that created this statement (JDBC), not the node's. */
  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public String toString() {
    return "routed statement of " + connection;
  }

  // ---- settings recorded before the first execution; the rest goes to the statement that ran last

  @Override
  public void cancel() throws SQLException {
    current().cancel();
  }

  @Override
  public void clearWarnings() throws SQLException {
    current().clearWarnings();
  }

  /** On every real statement, the ones made later included: the next execution may run on another node. */
  @Override
  public void closeOnCompletion() throws SQLException {
    setting("closeOnCompletion", Statement::closeOnCompletion);
    closeOnCompletion = true;
  }

  @Override
  public String enquoteIdentifier(String a0, boolean a1) throws SQLException {
    return current().enquoteIdentifier(a0, a1);
  }

  @Override
  public String enquoteLiteral(String a0) throws SQLException {
    return current().enquoteLiteral(a0);
  }

  @Override
  public String enquoteNCharLiteral(String a0) throws SQLException {
    return current().enquoteNCharLiteral(a0);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return current().getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return current().getFetchSize();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return RouterResultSet.of(current().getGeneratedKeys(), this);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return current().getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return current().getLargeUpdateCount();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return current().getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return current().getMaxRows();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return current().getMoreResults();
  }

  @Override
  public boolean getMoreResults(int a0) throws SQLException {
    return current().getMoreResults(a0);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return current().getQueryTimeout();
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return RouterResultSet.of(current().getResultSet(), this);
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return current().getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return current().getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return current().getResultSetType();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return current().getUpdateCount();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return current().getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return current().isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String a0) throws SQLException {
    return current().isSimpleIdentifier(a0);
  }

  @Override
  public boolean isWrapperFor(Class<?> a0) throws SQLException {
    return current().isWrapperFor(a0);
  }

  @Override
  public void setCursorName(String a0) throws SQLException {
    setting("setCursorName", s -> s.setCursorName(a0));
  }

  @Override
  public void setEscapeProcessing(boolean a0) throws SQLException {
    setting("setEscapeProcessing", s -> s.setEscapeProcessing(a0));
  }

  @Override
  public void setFetchDirection(int a0) throws SQLException {
    setting("setFetchDirection", s -> s.setFetchDirection(a0));
  }

  @Override
  public void setFetchSize(int a0) throws SQLException {
    setting("setFetchSize", s -> s.setFetchSize(a0));
  }

  @Override
  public void setLargeMaxRows(long a0) throws SQLException {
    setting("maxRows", s -> s.setLargeMaxRows(a0)); // one limit with setMaxRows: the last call wins
  }

  @Override
  public void setMaxFieldSize(int a0) throws SQLException {
    setting("setMaxFieldSize", s -> s.setMaxFieldSize(a0));
  }

  @Override
  public void setMaxRows(int a0) throws SQLException {
    setting("maxRows", s -> s.setMaxRows(a0));
  }

  @Override
  public void setPoolable(boolean a0) throws SQLException {
    setting("setPoolable", s -> s.setPoolable(a0));
  }

  @Override
  public void setQueryTimeout(int a0) throws SQLException {
    setting("setQueryTimeout", s -> s.setQueryTimeout(a0));
  }

  @Override
  public <T> T unwrap(Class<T> a0) throws SQLException {
    return current().unwrap(a0);
  }
}

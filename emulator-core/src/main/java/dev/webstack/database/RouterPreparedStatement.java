package dev.webstack.database;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prepared statement created on a {@link RouterConnection}. It is prepared at once on the node its text routes
 * to, so that a syntax error shows at prepare time, but each execution asks the connection again
 * ({@link RouterConnection#forExecution}): inside a transaction it runs on the transaction's node, pinning it, so
 * that it commits and rolls back with the transaction even when it was prepared on another node or before the
 * transaction began (the usual order of an application that prepares its statements once); outside one it stays
 * where it was prepared while that connection is open. Moving prepares it again on the new node and replays its
 * settings, parameters and queued batch, which are recorded for that.
 *
 * <p>Transaction-control text ({@code START TRANSACTION}, {@code COMMIT}, {@code ROLLBACK}, {@code SET
 * autocommit}) is not prepared on a node (H2 cannot prepare some of it): its execution goes to
 * {@link RouterConnection#control}, which changes the router's own state with the session's.
 *
 * <p>Streams and readers set as parameters are replayed as the same objects: a statement that moves after its node
 * consumed one sends what is left of it. Written out rather than a {@code java.lang.reflect.Proxy}, for the same
 * reason as its connection.
 */
final class RouterPreparedStatement implements PreparedStatement {

  /** Prepares the real statement on a node's connection, with the arguments the client passed. */
  interface Factory {
    PreparedStatement create(NodeConnection connection) throws SQLException;
  }

  /** A parameter or setting, applied to the real statement and replayed on another when the statement moves. */
  private interface Call {
    void apply(PreparedStatement statement) throws SQLException;
  }

  private static final Call[] NO_PARAMETERS = new Call[0];

  private final RouterConnection connection;
  private final String sql;
  private final Sql.Kind kind;
  private final boolean control;
  private final Factory factory;
  private final Map<NodeConnection, PreparedStatement> real = new LinkedHashMap<>(4);
  private final Map<String, Call> settings = new LinkedHashMap<>();
  /** The current parameters by index (1-based; index 0 unused), null where unset. */
  private Call[] parameters = NO_PARAMETERS;
  private final List<Call[]> batch = new ArrayList<>();
  private NodeConnection node;
  /** False until the first execution, which runs where the statement was prepared (see forExecution). */
  private boolean executed;
  private PreparedStatement current;
  private boolean closed;
  private boolean closeOnCompletion;

  RouterPreparedStatement(RouterConnection connection, String sql, Factory factory) throws SQLException {
    this.connection = connection;
    this.sql = sql;
    this.kind = Sql.classify(sql);
    this.control = switch (kind) {
      case BEGIN, BEGIN_READ_ONLY, COMMIT, ROLLBACK, SET_AUTOCOMMIT, SET_SCHEMA -> true;
      default -> false;
    };
    this.factory = factory;
    if (control) {
      connection.checkOpen();
    } else {
      moveTo(connection.route(kind));
    }
  }

  /** The real statement to execute on, moved to the node the connection chooses for this execution. */
  private PreparedStatement forExecution() throws SQLException {
    checkOpen();
    NodeConnection target = connection.forExecution(kind, executed ? null : node);
    executed = true;
    if (target != node) {
      moveTo(target);
    }
    return current;
  }

  /** Makes the statement on {@code target} the current one, with this statement's settings, parameters and batch. */
  private void moveTo(NodeConnection target) throws SQLException {
    forgetClosedNodes();
    PreparedStatement s = real.get(target);
    if (s == null) {
      s = factory.create(target);
      real.put(target, s);
    }
    for (Call setting : settings.values()) {
      setting.apply(s);
    }
    if (current != null) {
      s.clearParameters();
      s.clearBatch();
      for (Call[] entry : batch) {
        apply(entry, s);
        s.addBatch();
      }
      apply(parameters, s);
      if (!batch.isEmpty() && !node.isClosed()) {
        current.clearBatch(); // the batch moved with the statement
      }
    }
    node = target;
    current = s;
  }

  private static void apply(Call[] calls, PreparedStatement s) throws SQLException {
    for (Call call : calls) {
      if (call != null) {
        call.apply(s);
      }
    }
  }

  /** Drops the statements of connections closed under it (a killed node's): they cannot run again. */
  private void forgetClosedNodes() throws SQLException {
    for (Iterator<NodeConnection> it = real.keySet().iterator(); it.hasNext(); ) {
      if (it.next().isClosed()) {
        it.remove();
      }
    }
  }

  /** The statement that ran last (or was prepared), on a node the connection routes to when there is none. */
  private PreparedStatement current() throws SQLException {
    checkOpen();
    if (current == null) {
      moveTo(connection.route(kind));
    }
    return current;
  }

  /** Whether the current statement can take a call now; when not, the call waits for the next move. */
  private boolean live() throws SQLException {
    return current != null && !node.isClosed();
  }

  private void parameter(int index, Call call) throws SQLException {
    checkOpen();
    if (index < 1) {
      throw new SQLException("Invalid value \"" + index + "\" for parameter \"parameterIndex\"", "90008");
    }
    if (live()) {
      call.apply(current);
    }
    if (index >= parameters.length) {
      parameters = Arrays.copyOf(parameters, Math.max(index + 1, 8));
    }
    parameters[index] = call;
  }

  /**
   * Applies a setting to the live statement(s) and records it, by {@code name}, for the ones the next nodes get.
   * Calls that set one property share a name ({@code setMaxRows} and {@code setLargeMaxRows}: "maxRows"), so the
   * last call wins on a statement made later; by method name, a later statement got them in first-call order.
   */
  private void setting(String name, Call call) throws SQLException {
    checkOpen();
    if (live()) {
      call.apply(current);
    }
    settings.put(name, call);
  }

  /** Closed too: the statement of a closed connection (JDBC), and one whose {@link #closeOnCompletion} came. */
  private void checkOpen() throws SQLException {
    if (isClosed()) {
      throw new SQLException("No operations allowed after statement closed", "HY010");
    }
  }

  // ---- executions, on the node the connection chooses each time

  @Override
  public boolean execute() throws SQLException {
    if (control) {
      checkOpen();
      connection.control(kind, sql);
      return false;
    }
    return forExecution().execute();
  }

  @Override
  public int executeUpdate() throws SQLException {
    if (control) {
      checkOpen();
      connection.control(kind, sql);
      return 0;
    }
    return forExecution().executeUpdate();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return executeUpdate();
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    if (control) {
      throw new SQLException("Statement.executeQuery() cannot issue statements that do not produce result sets.",
          "S1009");
    }
    return RouterResultSet.of(forExecution().executeQuery(), this);
  }

  @Override
  public int[] executeBatch() throws SQLException {
    try {
      return forExecution().executeBatch();
    } finally {
      batch.clear();
    }
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    try {
      return forExecution().executeLargeBatch();
    } finally {
      batch.clear();
    }
  }

  // ---- parameters and the batch, recorded

  @Override
  public void clearParameters() throws SQLException {
    checkOpen();
    Arrays.fill(parameters, null);
    if (live()) {
      current.clearParameters();
    }
  }

  @Override
  public void addBatch() throws SQLException {
    checkOpen();
    batch.add(parameters.clone());
    if (live()) {
      current.addBatch();
    }
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
    if (live()) {
      current.clearBatch();
    }
  }

  @Override
  public void setArray(int a0, Array a1) throws SQLException {
    parameter(a0, s -> s.setArray(a0, a1));
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
    parameter(a0, s -> s.setAsciiStream(a0, a1, a2));
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
    parameter(a0, s -> s.setAsciiStream(a0, a1, a2));
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1) throws SQLException {
    parameter(a0, s -> s.setAsciiStream(a0, a1));
  }

  @Override
  public void setBigDecimal(int a0, BigDecimal a1) throws SQLException {
    parameter(a0, s -> s.setBigDecimal(a0, a1));
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
    parameter(a0, s -> s.setBinaryStream(a0, a1, a2));
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
    parameter(a0, s -> s.setBinaryStream(a0, a1, a2));
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1) throws SQLException {
    parameter(a0, s -> s.setBinaryStream(a0, a1));
  }

  @Override
  public void setBlob(int a0, InputStream a1, long a2) throws SQLException {
    parameter(a0, s -> s.setBlob(a0, a1, a2));
  }

  @Override
  public void setBlob(int a0, InputStream a1) throws SQLException {
    parameter(a0, s -> s.setBlob(a0, a1));
  }

  @Override
  public void setBlob(int a0, Blob a1) throws SQLException {
    parameter(a0, s -> s.setBlob(a0, a1));
  }

  @Override
  public void setBoolean(int a0, boolean a1) throws SQLException {
    parameter(a0, s -> s.setBoolean(a0, a1));
  }

  @Override
  public void setByte(int a0, byte a1) throws SQLException {
    parameter(a0, s -> s.setByte(a0, a1));
  }

  @Override
  public void setBytes(int a0, byte[] a1) throws SQLException {
    parameter(a0, s -> s.setBytes(a0, a1));
  }

  @Override
  public void setCharacterStream(int a0, Reader a1, int a2) throws SQLException {
    parameter(a0, s -> s.setCharacterStream(a0, a1, a2));
  }

  @Override
  public void setCharacterStream(int a0, Reader a1, long a2) throws SQLException {
    parameter(a0, s -> s.setCharacterStream(a0, a1, a2));
  }

  @Override
  public void setCharacterStream(int a0, Reader a1) throws SQLException {
    parameter(a0, s -> s.setCharacterStream(a0, a1));
  }

  @Override
  public void setClob(int a0, Reader a1, long a2) throws SQLException {
    parameter(a0, s -> s.setClob(a0, a1, a2));
  }

  @Override
  public void setClob(int a0, Reader a1) throws SQLException {
    parameter(a0, s -> s.setClob(a0, a1));
  }

  @Override
  public void setClob(int a0, Clob a1) throws SQLException {
    parameter(a0, s -> s.setClob(a0, a1));
  }

  @Override
  public void setDate(int a0, Date a1, Calendar a2) throws SQLException {
    parameter(a0, s -> s.setDate(a0, a1, a2));
  }

  @Override
  public void setDate(int a0, Date a1) throws SQLException {
    parameter(a0, s -> s.setDate(a0, a1));
  }

  @Override
  public void setDouble(int a0, double a1) throws SQLException {
    parameter(a0, s -> s.setDouble(a0, a1));
  }

  @Override
  public void setFloat(int a0, float a1) throws SQLException {
    parameter(a0, s -> s.setFloat(a0, a1));
  }

  @Override
  public void setInt(int a0, int a1) throws SQLException {
    parameter(a0, s -> s.setInt(a0, a1));
  }

  @Override
  public void setLong(int a0, long a1) throws SQLException {
    parameter(a0, s -> s.setLong(a0, a1));
  }

  @Override
  public void setNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
    parameter(a0, s -> s.setNCharacterStream(a0, a1, a2));
  }

  @Override
  public void setNCharacterStream(int a0, Reader a1) throws SQLException {
    parameter(a0, s -> s.setNCharacterStream(a0, a1));
  }

  @Override
  public void setNClob(int a0, Reader a1, long a2) throws SQLException {
    parameter(a0, s -> s.setNClob(a0, a1, a2));
  }

  @Override
  public void setNClob(int a0, Reader a1) throws SQLException {
    parameter(a0, s -> s.setNClob(a0, a1));
  }

  @Override
  public void setNClob(int a0, NClob a1) throws SQLException {
    parameter(a0, s -> s.setNClob(a0, a1));
  }

  @Override
  public void setNString(int a0, String a1) throws SQLException {
    parameter(a0, s -> s.setNString(a0, a1));
  }

  @Override
  public void setNull(int a0, int a1, String a2) throws SQLException {
    parameter(a0, s -> s.setNull(a0, a1, a2));
  }

  @Override
  public void setNull(int a0, int a1) throws SQLException {
    parameter(a0, s -> s.setNull(a0, a1));
  }

  @Override
  public void setObject(int a0, Object a1, int a2, int a3) throws SQLException {
    parameter(a0, s -> s.setObject(a0, a1, a2, a3));
  }

  @Override
  public void setObject(int a0, Object a1, int a2) throws SQLException {
    parameter(a0, s -> s.setObject(a0, a1, a2));
  }

  @Override
  public void setObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
    parameter(a0, s -> s.setObject(a0, a1, a2, a3));
  }

  @Override
  public void setObject(int a0, Object a1, SQLType a2) throws SQLException {
    parameter(a0, s -> s.setObject(a0, a1, a2));
  }

  @Override
  public void setObject(int a0, Object a1) throws SQLException {
    parameter(a0, s -> s.setObject(a0, a1));
  }

  @Override
  public void setRef(int a0, Ref a1) throws SQLException {
    parameter(a0, s -> s.setRef(a0, a1));
  }

  @Override
  public void setRowId(int a0, RowId a1) throws SQLException {
    parameter(a0, s -> s.setRowId(a0, a1));
  }

  @Override
  public void setSQLXML(int a0, SQLXML a1) throws SQLException {
    parameter(a0, s -> s.setSQLXML(a0, a1));
  }

  @Override
  public void setShort(int a0, short a1) throws SQLException {
    parameter(a0, s -> s.setShort(a0, a1));
  }

  @Override
  public void setString(int a0, String a1) throws SQLException {
    parameter(a0, s -> s.setString(a0, a1));
  }

  @Override
  public void setTime(int a0, Time a1, Calendar a2) throws SQLException {
    parameter(a0, s -> s.setTime(a0, a1, a2));
  }

  @Override
  public void setTime(int a0, Time a1) throws SQLException {
    parameter(a0, s -> s.setTime(a0, a1));
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1, Calendar a2) throws SQLException {
    parameter(a0, s -> s.setTimestamp(a0, a1, a2));
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1) throws SQLException {
    parameter(a0, s -> s.setTimestamp(a0, a1));
  }

  @Override
  public void setURL(int a0, URL a1) throws SQLException {
    parameter(a0, s -> s.setURL(a0, a1));
  }

  @Deprecated
  @SuppressWarnings("deprecation")
  @Override
  public void setUnicodeStream(int a0, InputStream a1, int a2) throws SQLException {
    parameter(a0, s -> s.setUnicodeStream(a0, a1, a2));
  }

  // ---- settings, recorded

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

  // ---- life cycle

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    SQLException failure = null;
    for (Map.Entry<NodeConnection, PreparedStatement> e : real.entrySet()) {
      if (e.getKey().isClosed()) {
        continue; // closed with its connection
      }
      try {
        e.getValue().close();
      } catch (SQLException ex) {
        if (failure == null) {
          failure = ex;
        } else {
          failure.addSuppressed(ex);
        }
      }
    }
    real.clear();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    if (!closed && (connection.isClosed()
        || closeOnCompletion && current != null && !node.isClosed() && current.isClosed())) {
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
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : current().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || current().isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "routed prepared statement of " + connection + ": " + sql;
  }

  // ---- everything else: the statement that ran last

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return current().getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return current().getParameterMetaData();
  }

  @Override
  public void addBatch(String a0) throws SQLException {
    current().addBatch(a0);
  }

  @Override
  public void cancel() throws SQLException {
    current().cancel();
  }

  @Override
  public void clearWarnings() throws SQLException {
    current().clearWarnings();
  }

  /** Recorded with the settings: the next execution may run on another node's statement. */
  @Override
  public void closeOnCompletion() throws SQLException {
    setting("closeOnCompletion", Statement::closeOnCompletion);
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
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
  public boolean execute(String a0, int[] a1) throws SQLException {
    return current().execute(a0, a1);
  }

  @Override
  public boolean execute(String a0, String[] a1) throws SQLException {
    return current().execute(a0, a1);
  }

  @Override
  public boolean execute(String a0, int a1) throws SQLException {
    return current().execute(a0, a1);
  }

  @Override
  public boolean execute(String a0) throws SQLException {
    return current().execute(a0);
  }

  @Override
  public long executeLargeUpdate(String a0, int[] a1) throws SQLException {
    return current().executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0, String[] a1) throws SQLException {
    return current().executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0, int a1) throws SQLException {
    return current().executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0) throws SQLException {
    return current().executeLargeUpdate(a0);
  }

  @Override
  public ResultSet executeQuery(String a0) throws SQLException {
    return RouterResultSet.of(current().executeQuery(a0), this);
  }

  @Override
  public int executeUpdate(String a0, int[] a1) throws SQLException {
    return current().executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0, String[] a1) throws SQLException {
    return current().executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0, int a1) throws SQLException {
    return current().executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0) throws SQLException {
    return current().executeUpdate(a0);
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
  public boolean isPoolable() throws SQLException {
    return current().isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String a0) throws SQLException {
    return current().isSimpleIdentifier(a0);
  }
}

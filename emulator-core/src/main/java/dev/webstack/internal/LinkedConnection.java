package dev.webstack.internal;

import dev.webstack.database.RoutedConnection;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

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
final class LinkedConnection extends DelegatingConnection {

  private final JdbcLinkFaultState link;
  private volatile boolean reset;

  LinkedConnection(JdbcLinkFaultState link, Connection raw) {
    super(raw);
    this.link = link;
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
    return statement == null ? null : new LinkedStatement<>(this, statement);
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
  public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
    return statement(raw.createStatement(resultSetType, resultSetConcurrency));
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
    return (PreparedStatement) statement(raw.prepareStatement(sql, resultSetType, resultSetConcurrency));
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
    return (CallableStatement) statement(raw.prepareCall(sql, resultSetType, resultSetConcurrency));
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
  public Statement createStatement(
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return statement(raw.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return (PreparedStatement)
        statement(raw.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public CallableStatement prepareCall(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return (CallableStatement)
        statement(raw.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
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
}

package dev.webstack.database;

import dev.webstack.internal.DelegatingResultSet;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A node's result set handed out by a routed statement: {@link #getStatement()} answers the routed statement, not
 * the node's, whose {@code getConnection()} was H2's own connection under the capture, a way round both the
 * routing and the binary log.
 */
final class RouterResultSet extends DelegatingResultSet {

  private final Statement statement;

  private RouterResultSet(ResultSet raw, Statement statement) {
    super(raw);
    this.statement = statement;
  }

  /** {@code raw} answering for {@code statement}; null stays null (no result set). */
  static ResultSet of(ResultSet raw, Statement statement) {
    return raw == null ? null : new RouterResultSet(raw, statement);
  }

  @Override
  public Statement getStatement() {
    return statement;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : raw.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || raw.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "result set of " + statement;
  }
}

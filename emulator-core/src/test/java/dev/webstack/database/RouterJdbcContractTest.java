package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The routing data source's connections against JDBC's contract, call by call. */
class RouterJdbcContractTest {

  private static void assertSqlState(Throwable e, String state) {
    assertThat(e).isInstanceOfSatisfying(SQLException.class, s -> assertThat(s.getSQLState()).isEqualTo(state));
  }

  @Test
  void abort_closesTheConnection_rollsItsTransactionBack_andNeedsNoReachablePrimary() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      Connection c = db.dataSource().getConnection();
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE kv SET v = 'aborted' WHERE k = 'seed'");
      }
      assertThatThrownBy(() -> c.abort(null)).isInstanceOf(SQLException.class);
      c.abort(Runnable::run);
      assertThat(c.isClosed()).isTrue();
      assertThatThrownBy(c::createStatement).satisfies(e -> assertSqlState(e, "08003"));
      assertThatThrownBy(c::commit).satisfies(e -> assertSqlState(e, "08003"));
      c.abort(Runnable::run); // a no-op once closed
      c.close();
      try (Connection other = db.dataSource().getConnection(); Statement s = other.createStatement()) {
        assertThat(s.executeUpdate("UPDATE kv SET v = 'after' WHERE k = 'seed'")).as("lock released").isEqualTo(1);
      }

      Connection idle = db.dataSource().getConnection();
      stack.node("db-1").kill();
      idle.abort(Runnable::run);
      assertThat(idle.isClosed()).isTrue();
    }
  }

  /** Connector/J sends {@code SET SESSION TRANSACTION ISOLATION LEVEL}: no commit, the next transaction's level. */
  @Test
  void setTransactionIsolationInsideATransaction_commitsNothing_andAppliesToTheNextTransaction() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('rolled-back', '1')");
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.rollback();
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('next', '2')");
        assertThat(isolationOfThisSession(s)).isEqualTo("SERIALIZABLE");
        c.commit();
      }
      assertThat(db.content("db-1")).isEqualTo(db.content("db-2"));
      assertThat(db.content("db-1").get("kv")).extracting(row -> row.get(0)).containsExactly("next", "seed");
    }
  }

  private static String isolationOfThisSession(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery(
        "SELECT ISOLATION_LEVEL FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}

package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
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
}

package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The routing data source's connections and statements, used directly as JDBC (no application in between). */
class RouterConnectionTest {

  private static String lastNode(Connection c) throws SQLException {
    return c.unwrap(RoutedConnection.class).lastNode().orElseThrow();
  }

  @Test
  void aPlainStatement_routesEachExecutionByItsText_andReplaysEarlySettingsOnEveryNode() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.setMaxRows(1); // before the first execution: recorded, then applied to each node's statement
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('one', '1'), ('two', '2')");
      assertThat(lastNode(c)).isEqualTo("db-1");
      try (ResultSet rs = s.executeQuery("SELECT k FROM kv ORDER BY k")) {
        assertThat(lastNode(c)).isEqualTo("db-2");
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).as("setMaxRows(1) reached the replica's statement").isFalse();
      }
      assertThat(s.getConnection()).isSameAs(c);
      assertThat(s.getMaxRows()).isEqualTo(1);
    }
  }

  @Test
  void textTransactions_pinOneNode_untilCommit() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("BEGIN");
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('in-tx', 'x')");
      try (ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = 'in-tx'")) {
        assertThat(lastNode(c)).as("a read inside the transaction stays on its node").isEqualTo("db-1");
        assertThat(rs.next()).isTrue();
      }
      s.execute("COMMIT");
      try (ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = 'in-tx'")) {
        assertThat(lastNode(c)).isEqualTo("db-2");
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void aClosedConnection_refusesStatements_withSqlState08003() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      Connection c = stack.databaseCluster().dataSource().getConnection();
      c.close();
      assertThat(c.isClosed()).isTrue();
      assertThatThrownBy(() -> c.prepareStatement("SELECT 1"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08003"));
      c.close(); // idempotent
    }
  }
}

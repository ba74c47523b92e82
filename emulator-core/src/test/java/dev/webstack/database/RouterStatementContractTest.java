package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The routing data source's statements and result sets against JDBC's contract. */
class RouterStatementContractTest {

  private static String lastNode(Connection c) throws SQLException {
    return c.unwrap(RoutedConnection.class).lastNode().orElseThrow();
  }

  @Test
  void aClosedStatement_refusesToExecute_asDoesOneOfAClosedConnection() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection()) {
      Statement s = c.createStatement();
      PreparedStatement ps = c.prepareStatement("SELECT v FROM kv WHERE k = ?");
      s.executeQuery("SELECT 1").close();
      s.close();
      ps.close();
      assertThat(s.isClosed()).isTrue();
      assertThatThrownBy(() -> s.executeQuery("SELECT 1")).isInstanceOf(SQLException.class)
          .hasMessageContaining("statement closed");
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO kv(k, v) VALUES ('no', '1')"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class).hasMessageContaining("statement closed");

      Statement open = c.createStatement();
      c.close();
      assertThat(open.isClosed()).as("closed with its connection").isTrue();
      assertThatThrownBy(() -> open.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
    }
  }

  @Test
  void closeOnCompletion_closesTheStatementWithItsResultSet_onWhicheverNodeItRan() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection()) {
      Statement s = c.createStatement();
      s.closeOnCompletion();
      assertThat(s.isCloseOnCompletion()).isTrue();
      ResultSet rs = s.executeQuery("SELECT v FROM kv");
      assertThat(lastNode(c)).isEqualTo("db-2");
      assertThat(s.isClosed()).isFalse();
      rs.close();
      assertThat(s.isClosed()).isTrue();

      PreparedStatement ps = c.prepareStatement("SELECT v FROM kv WHERE k = ?");
      ps.closeOnCompletion();
      c.setAutoCommit(false); // the execution moves to the transaction's node, the primary
      ps.setString(1, "seed");
      ResultSet prs = ps.executeQuery();
      assertThat(lastNode(c)).isEqualTo("db-1");
      prs.close();
      assertThat(ps.isClosed()).isTrue();
      c.rollback();
    }
  }

  @Test
  void aSettingMadeAfterTheFirstExecution_reachesTheNodesTheStatementRunsOnLater() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('a', '1'), ('b', '2')"); // on the primary
      s.setMaxRows(1);
      try (ResultSet rs = s.executeQuery("SELECT k FROM kv")) {
        assertThat(lastNode(c)).isEqualTo("db-2");
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).as("setMaxRows(1) reached the replica's statement").isFalse();
      }
    }
  }

  /** setMaxRows and setLargeMaxRows set one limit: the last call wins on every node the statement runs on. */
  @Test
  void theLastOfSetMaxRowsAndSetLargeMaxRows_isTheLimit_onANodeReachedLater() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection()) {
      try (Statement w = c.createStatement()) {
        w.executeUpdate("INSERT INTO kv(k, v) VALUES ('a', '1'), ('b', '2'), ('c', '3')");
      }
      try (Statement s = c.createStatement(); PreparedStatement ps = c.prepareStatement("SELECT k FROM kv")) {
        for (Statement each : new Statement[] {s, ps}) {
          each.setMaxRows(1);
          each.setLargeMaxRows(3);
          each.setMaxRows(2);
          assertThat(each.getMaxRows()).isEqualTo(2);
        }
        try (ResultSet rs = s.executeQuery("SELECT k FROM kv")) {
          assertThat(lastNode(c)).isEqualTo("db-2");
          assertThat(count(rs)).isEqualTo(2);
        }
        c.setAutoCommit(false); // the prepared statement moves to the primary's statement
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(lastNode(c)).isEqualTo("db-1");
          assertThat(count(rs)).isEqualTo(2);
        }
        c.rollback();
      }
    }
  }

  private static int count(ResultSet rs) throws SQLException {
    int n = 0;
    while (rs.next()) {
      n++;
    }
    return n;
  }

  @Test
  void generatedKeysAndBatches_comeFromThePrimary_andReplicate() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO events(note) VALUES ('first')", Statement.RETURN_GENERATED_KEYS);
        try (ResultSet keys = s.getGeneratedKeys()) {
          assertThat(keys.next()).isTrue();
          assertThat(keys.getLong(1)).isEqualTo(1);
        }
        try (PreparedStatement ps =
            c.prepareStatement("INSERT INTO events(note) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
          ps.setString(1, "second");
          ps.executeUpdate();
          try (ResultSet keys = ps.getGeneratedKeys()) {
            assertThat(keys.next()).isTrue();
            assertThat(keys.getLong(1)).isEqualTo(2);
          }
          ps.setString(1, "third");
          ps.addBatch();
          ps.setString(1, "fourth");
          ps.addBatch();
          assertThat(ps.executeBatch()).containsExactly(1, 1);
        }
        s.addBatch("INSERT INTO kv(k, v) VALUES ('b1', '1')");
        s.addBatch("UPDATE kv SET v = 'batched' WHERE k = 'seed'");
        assertThat(s.executeBatch()).containsExactly(1, 1);
        assertThat(lastNode(c)).isEqualTo("db-1");
      }
      stack.await("replica converged", Duration.ofSeconds(5), db::isConverged);
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.content("db-2").get("events")).hasSize(4);
    }
  }

  @Test
  void resultSetsOpenOnDifferentNodes_atOnce_answerForTheRoutedStatementAndConnection() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement first = c.createStatement();
        Statement second = c.createStatement();
        Statement writes = c.createStatement()) {
      writes.executeUpdate("INSERT INTO kv(k, v) VALUES ('a', '1'), ('b', '2')");
      try (ResultSet onDb2 = first.executeQuery("SELECT k FROM kv ORDER BY k");
          ResultSet onDb3 = second.executeQuery("SELECT k FROM kv ORDER BY k DESC")) {
        assertThat(lastNode(c)).isEqualTo("db-3");
        writes.executeUpdate("INSERT INTO kv(k, v) VALUES ('c', '3')"); // a write between, on db-1
        assertThat(onDb2.next() && onDb3.next()).isTrue();
        assertThat(onDb2.getString(1)).isEqualTo("a");
        assertThat(onDb3.getString(1)).isEqualTo("seed");
        assertThat(onDb2.getStatement()).isSameAs(first);
        assertThat(onDb3.getStatement()).isSameAs(second);
        assertThat(onDb2.getStatement().getConnection()).isSameAs(c);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT k FROM kv"); ResultSet rs = ps.executeQuery()) {
        assertThat(rs.getStatement()).isSameAs(ps);
        assertThat(ps.getConnection()).isSameAs(c);
      }
    }
  }
}

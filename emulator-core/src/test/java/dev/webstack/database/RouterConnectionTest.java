package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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

  private static List<Object> keys(DatabaseCluster db, String node) throws SQLException {
    return db.content(node).get("kv").stream().map(row -> row.get(0)).toList();
  }

  /** Spring's transaction manager commits, then switches autocommit back on; the connection goes back to a pool. */
  @Test
  void setAutoCommitTrueAfterCommit_nextWriteIsCommitted() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('in-tx', '1')");
        c.commit();
        c.setAutoCommit(true);
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('autocommit', '2')");
      }
      assertThat(keys(db, "db-1")).containsExactlyInAnyOrder("seed", "in-tx", "autocommit");
      assertThat(keys(db, "db-2")).containsExactlyInAnyOrder("seed", "in-tx", "autocommit");
    }
  }

  @Test
  void setAutoCommitTrueWithoutATransaction_reachesAConnectionLeftInManualCommitMode() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('in-tx', '1')");
        c.rollback();
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES ('autocommit', '2')")) {
          ps.executeUpdate();
        }
      }
      assertThat(keys(db, "db-1")).containsExactlyInAnyOrder("seed", "autocommit");
    }
  }

  @Test
  void aStatementPreparedBeforeTheTransaction_isRolledBackWithIt() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES ('rolled-back', '1')")) {
        c.setAutoCommit(false);
        ps.executeUpdate();
        c.rollback();
      }
      assertThat(keys(db, "db-1")).containsExactly("seed");
      assertThat(keys(db, "db-2")).containsExactly("seed");
    }
  }

  @Test
  void aReadPreparedOnAReplicaBeforeTheTransaction_readsTheTransactionsOwnWrites() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        PreparedStatement read = c.prepareStatement("SELECT v FROM kv WHERE k = ?");
        Statement s = c.createStatement()) {
      read.setString(1, "mine");
      assertThat(lastNode(c)).isEqualTo("db-2"); // prepared on the replica
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('mine', '1')");
      try (ResultSet rs = read.executeQuery()) {
        assertThat(lastNode(c)).as("moved to the transaction's node, its parameter with it").isEqualTo("db-1");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("1");
      }
      c.rollback();
      c.setAutoCommit(true);
      try (ResultSet rs = read.executeQuery()) {
        assertThat(rs.next()).as("rolled back").isFalse();
      }
    }
  }

  @Test
  void thePinnedNodeDyingMidTransaction_failsTheTransactionWith08S01_untilRolledBack() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('first-half', '1')");
        stack.node("db-1").kill();
        db.failover();
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO kv(k, v) VALUES ('second-half', '2')"))
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08S01"));
        assertThatThrownBy(() -> s.executeQuery("SELECT v FROM kv WHERE k = 'first-half'"))
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08S01"));
        c.rollback(); // the application gives the transaction up: the connection is usable again

        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('retried', '3')");
        assertThat(lastNode(c)).isEqualTo("db-2");
        c.commit();
      }
      assertThat(keys(db, "db-2")).containsExactlyInAnyOrder("seed", "retried");
    }
  }

  @Test
  void commitAfterThePinnedNodeDied_failsWith08S01_andEndsTheTransaction() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, '1')")) {
        c.setAutoCommit(false);
        ps.setString(1, "first-half");
        ps.executeUpdate();
        stack.node("db-1").kill();
        db.failover();
        ps.setString(1, "second-half");
        assertThatThrownBy(ps::executeUpdate)
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08S01"));
        assertThatThrownBy(c::commit)
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08S01"));
        c.setAutoCommit(true); // Spring's clean-up after the failed commit
        ps.setString(1, "after");
        ps.executeUpdate();
      }
      assertThat(keys(db, "db-2")).containsExactlyInAnyOrder("seed", "after");
    }
  }

  @Test
  void textSetAutocommit0_keepsTheTransactionsReadsOnItsNode() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("SET autocommit = 0");
        assertThat(c.getAutoCommit()).isFalse();
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('mine', '1')");
        try (ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = 'mine'")) {
          assertThat(lastNode(c)).isEqualTo("db-1");
          assertThat(rs.next()).isTrue();
        }
        s.execute("ROLLBACK");
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('kept', '2')");
        s.execute("SET autocommit = 1"); // commits, as in MySQL
        assertThat(c.getAutoCommit()).isTrue();
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('autocommit', '3')");
      }
      assertThat(keys(db, "db-1")).containsExactlyInAnyOrder("seed", "kept", "autocommit");
    }
  }

  @Test
  void textTransactionControl_throughPreparedStatements_updatesTheRoutersState() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement begin = c.prepareStatement("START TRANSACTION");
          PreparedStatement rollback = c.prepareStatement("ROLLBACK");
          PreparedStatement off = c.prepareStatement("SET autocommit = 0");
          PreparedStatement commit = c.prepareStatement("COMMIT");
          PreparedStatement insert = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, '1')");
          PreparedStatement read = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
        begin.execute();
        insert.setString(1, "rolled-back");
        insert.executeUpdate();
        rollback.execute();
        off.execute();
        assertThat(c.getAutoCommit()).isFalse();
        insert.setString(1, "committed");
        insert.executeUpdate();
        read.setString(1, "committed");
        try (ResultSet rs = read.executeQuery()) {
          assertThat(lastNode(c)).isEqualTo("db-1");
          assertThat(rs.next()).isTrue();
        }
        commit.execute();
      }
      assertThat(keys(db, "db-1")).containsExactlyInAnyOrder("seed", "committed");
    }
  }

  @Test
  void aReadOnlyConnectionWithoutARunningReplica_refusesWritesOnThePrimaryWith1792() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      stack.node("db-2").kill();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        c.setReadOnly(true);
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO kv(k, v) VALUES ('refused', '1')"))
            .isInstanceOfSatisfying(SQLException.class, e -> {
              assertThat(e.getErrorCode()).isEqualTo(1792);
              assertThat(e.getSQLState()).isEqualTo("25006");
            });
        assertThat(lastNode(c)).isEqualTo("db-1");
        try (ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = 'seed'")) {
          assertThat(rs.next()).as("reads still work").isTrue();
        }
        c.setReadOnly(false);
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('accepted', '2')");
      }
      assertThat(keys(db, "db-1")).containsExactlyInAnyOrder("seed", "accepted");
    }
  }

  /** Without replicas the backends do not capture: the text goes to H2's own autocommit and transactions. */
  @Test
  void textTransactionControl_onAnUnreplicatedDatabase_rollsBackAndCommitsAsSent() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> {}).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
          PreparedStatement insert = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, '1')")) {
        s.execute("SET autocommit = 0");
        insert.setString(1, "rolled-back");
        insert.executeUpdate();
        s.execute("ROLLBACK");
        insert.setString(1, "committed");
        insert.executeUpdate();
        s.execute("COMMIT");
        s.execute("SET autocommit = 1");
        insert.setString(1, "autocommit");
        insert.executeUpdate();
      }
      assertThat(keys(db, "db-1")).containsExactlyInAnyOrder("seed", "committed", "autocommit");
    }
  }

  @Test
  void aBatchQueuedOnANodeThatDied_movesWithItsStatementToTheNewPrimary() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, ?)")) {
        ps.setString(1, "a");
        ps.setString(2, "1");
        ps.addBatch();
        ps.setString(1, "b");
        ps.addBatch();
        stack.node("db-1").kill();
        db.failover();
        assertThat(ps.executeBatch()).containsExactly(1, 1);
        assertThat(lastNode(c)).isEqualTo("db-2");
      }
      assertThat(keys(db, "db-2")).containsExactlyInAnyOrder("seed", "a", "b");
    }
  }

  @Test
  void aPreparedRead_goesBackToAReplicaAfterATransaction() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        PreparedStatement read = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
      read.setString(1, "seed");
      read.executeQuery().close();
      assertThat(lastNode(c)).isEqualTo("db-2");
      c.setAutoCommit(false);
      read.executeQuery().close();
      assertThat(lastNode(c)).isEqualTo("db-1");
      c.commit();
      c.setAutoCommit(true);
      read.executeQuery().close();
      assertThat(lastNode(c)).isEqualTo("db-2");
    }
  }

  @Test
  void aPreparedWrite_followsAFailoverOnItsNextExecution() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        PreparedStatement write = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, '1')")) {
      write.setString(1, "before");
      write.executeUpdate();
      stack.databaseCluster().failover(); // db-1 fenced, still up
      write.setString(1, "after");
      write.executeUpdate();
      assertThat(lastNode(c)).isEqualTo("db-2");
      assertThat(stack.databaseCluster().content("db-2").get("kv")).hasSize(3);
    }
  }

  @Test
  void transactionControlFollowedByAnotherStatement_isRefusedNotHalfRun() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("COMMIT; DROP TABLE kv")).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getErrorCode()).isEqualTo(1064));
      assertThat(stack.databaseCluster().content("db-1")).containsKey("kv");
    }
  }

  @Test
  void aReadThatDrawsASequence_goesToThePrimary_andAReplicaRefusesIt() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SEQUENCE seq");
      try (ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR seq")) {
        assertThat(rs.next()).isTrue();
      }
      assertThat(lastNode(c)).isEqualTo("db-1");
      try (Connection replica = ((dev.webstack.DatabaseNode) stack.node("db-2")).dataSource().getConnection();
          Statement r = replica.createStatement()) {
        assertThatThrownBy(() -> r.executeQuery("SELECT NEXT VALUE FOR seq"))
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
      }
    }
  }
}

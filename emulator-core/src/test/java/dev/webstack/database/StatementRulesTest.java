package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * What a node's connection lets through, and how: one statement per call, no stored-procedure calls, read-only
 * transactions, batches with a failing entry. Each rule keeps a write from bypassing the read-only check or the
 * replication log.
 */
class StatementRulesTest {

  private static Connection node(EmulatedStack stack, String name) throws SQLException {
    return ((DatabaseNode) stack.node(name)).dataSource().getConnection();
  }

  private static void assertConverged(EmulatedStack stack) throws SQLException {
    DatabaseCluster db = stack.databaseCluster();
    assertThat(db.status("db-2").lastError()).isEmpty();
    assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
  }

  @Test
  void textWithTwoStatements_isRefusedWithMysqlsSyntaxError_onReplicaAndPrimary() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      for (String name : new String[] {"db-2", "db-1"}) {
        try (Connection c = node(stack, name); Statement s = c.createStatement()) {
          assertThatThrownBy(() -> s.execute("SET @x = 1; DROP TABLE kv"))
              .isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1064);
                assertThat(e.getSQLState()).isEqualTo("42000");
                assertThat(e.getMessage()).contains("near 'DROP TABLE kv'", "run each statement on its own");
              });
          assertThatThrownBy(() -> c.prepareStatement("INSERT INTO kv(k, v) VALUES ('m', '1'); CREATE TABLE t(i INT)"))
              .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1064));
        }
      }
      assertThat(stack.databaseCluster().content("db-2")).containsKey("kv").doesNotContainKey("t");
      assertConverged(stack);
    }
  }

  @Test
  void aTrailingSemicolonOrOneInsideAStringOrComment_isStillOneStatement() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = node(stack, "db-1"); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('a;b', 'it''s; fine') -- trailing; comment\n;");
      s.executeUpdate("/* a; */ INSERT INTO kv(k, v) VALUES ('c', 'd' || ';') ; ;");
      assertThat(stack.databaseCluster().content("db-1").get("kv")).hasSize(3);
      assertConverged(stack);
    }
  }

  @Test
  void prepareCall_isRefusedSayingWhatToDoInstead() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start(); Connection c = node(stack, "db-1")) {
      assertThatThrownBy(() -> c.prepareCall("INSERT INTO kv(k, v) VALUES ('call', '1')"))
          .isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("through prepareStatement");
    }
  }

  @Test
  void startTransactionReadOnly_refusesWritesWith1792_untilTheTransactionEnds() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = node(stack, "db-1"); Statement s = c.createStatement()) {
      s.execute("START TRANSACTION READ ONLY");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kv")) {
        assertThat(rs.next()).isTrue();
      }
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO kv(k, v) VALUES ('ro', '1')"))
          .isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(1792);
            assertThat(e.getSQLState()).isEqualTo("25006");
          });
      s.execute("COMMIT");
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('rw', '1')");
      assertThat(stack.databaseCluster().content("db-1").get("kv")).hasSize(2);
      assertConverged(stack);
    }
  }

  @Test
  void aPreparedBatchWithAFailingEntry_inATransaction_replicatesTheEntriesThatSucceeded() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start(); Connection c = node(stack, "db-1")) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, 'v')")) {
        for (String k : new String[] {"b1", "seed", "b2"}) { // 'seed' is there already
          ps.setString(1, k);
          ps.addBatch();
        }
        assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class);
      }
      c.commit();
      assertThat(stack.databaseCluster().content("db-1").get("kv")).hasSize(3);
      assertConverged(stack);
    }
  }

  @Test
  void aPreparedBatchWithAFailingEntry_inAutocommit_commitsTheEntriesThatSucceeded() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start(); Connection c = node(stack, "db-1");
        PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, 'v')")) {
      for (String k : new String[] {"b1", "seed", "b2"}) {
        ps.setString(1, k);
        ps.addBatch();
      }
      assertThatThrownBy(ps::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class,
          e -> assertThat(e.getUpdateCounts()).containsExactly(1, Statement.EXECUTE_FAILED, 1));
      assertThat(stack.databaseCluster().content("db-1").get("kv")).hasSize(3);
      assertConverged(stack);
    }
  }

  @Test
  void aCommitAfterItsNodeWasKilled_failsWith08S01_andLogsNothingTheNodeLacks() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      Connection c = node(stack, "db-1");
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('ghost', '1')");
      }
      stack.node("db-1").kill();
      assertThatThrownBy(c::commit).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).isEqualTo("08S01"));
      stack.node("db-1").restart();
      stack.clock().advance(java.time.Duration.ofSeconds(10)); // past the replica's connect retry
      assertThatThrownBy(c::createStatement).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).isEqualTo("08S01")); // lost with the kill, even now the node is back
      c.close();
      assertThat(stack.databaseCluster().content("db-1").get("kv")).hasSize(1);
      assertConverged(stack);
    }
  }

  @Test
  void h2AdministrationStatements_areRefusedAsAMysqlApplicationUserIs() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = node(stack, "db-1"); Statement s = c.createStatement()) {
      for (String sql : new String[] {"SHUTDOWN", "shutdown immediately", "SET DEFAULT_TABLE_ENGINE \"x.Y\"",
          "/* c */ SET EXCLUSIVE 1", "SET REFERENTIAL_INTEGRITY FALSE", "SET MODE Regular", "BACKUP TO 'x.zip'"}) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getErrorCode()).isEqualTo(1227);
          assertThat(e.getMessage()).contains("SUPER privilege");
        });
      }
      s.execute("SET @x = 1"); // session settings stay allowed
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('after', '1')");
      assertThat(stack.node("db-1").isRunning()).isTrue();
      assertConverged(stack);
    }
  }

  @Test
  void aSavepointInAutocommitMode_isRefused() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start(); Connection c = node(stack, "db-1")) {
      assertThatThrownBy(c::setSavepoint).isInstanceOf(SQLException.class).hasMessageContaining("setAutoCommit(false)");
      c.setAutoCommit(false);
      assertThat(c.setSavepoint("s1")).isNotNull();
      c.rollback();
    }
  }

  @Test
  void savepointsInATransaction_workOnAnUnreplicatedDatabaseToo() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> {}).start(); Connection c = node(stack, "db-1")) {
      c.setAutoCommit(false);
      assertThat(c.setSavepoint()).isNotNull();
      c.rollback();
    }
  }

  @Test
  void aPreparedBatchWhoseFailedEntryWroteARowFirst_isUndoneWhole_notReplicatedHalf() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start(); Connection c = node(stack, "db-1");
        PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, 'x'), ('dup', 'y')")) {
      ps.setString(1, "a");
      ps.addBatch();
      ps.setString(1, "b"); // its second row collides with the first entry's
      ps.addBatch();
      assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class);
      assertConverged(stack);
    }
  }

  @Test
  void aBatchRefusedBeforeItRan_doesNotRunWithTheNextOne() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start(); Connection c = node(stack, "db-1");
        PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, 'v')")) {
      c.setReadOnly(true);
      ps.setString(1, "refused");
      ps.addBatch();
      assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class);
      c.setReadOnly(false);
      ps.setString(1, "accepted");
      ps.addBatch();
      ps.executeBatch();
      assertThat(stack.databaseCluster().content("db-1").get("kv")).hasSize(2);
      assertConverged(stack);
    }
  }

  @Test
  void aSecondStatementIsFoundAsH2SeesIt_whateverCommentsOrNamesHideItsSemicolon() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      for (String name : new String[] {"db-2", "db-1"}) {
        try (Connection c = node(stack, name); Statement s = c.createStatement()) {
          for (String sql : new String[] {"SELECT 1 // it's\n; DROP TABLE kv; -- '",
              "SELECT 1 AS a$$; DROP TABLE kv; --$$", "SELECT 1 /* /* nested */ ' */; DROP TABLE kv; -- '"}) {
            assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).as(sql).isEqualTo(1064));
            assertThatThrownBy(() -> c.prepareStatement(sql)).as(sql).isInstanceOf(SQLException.class);
          }
        }
      }
      assertThat(stack.databaseCluster().content("db-2")).containsKey("kv");
      assertThat(stack.databaseCluster().content("db-1")).containsKey("kv");
    }
  }

  @Test
  void administrationHiddenBehindCommentsOrATableEngine_isRefusedToo() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = node(stack, "db-1"); Statement s = c.createStatement()) {
      for (String sql : new String[] {"// c\nSET REFERENTIAL_INTEGRITY FALSE", "/*x*/ // y\nSHUTDOWN",
          "SET/**/EXCLUSIVE 1", "/* a /* b */ c */ SET LOCK_MODE 0",
          "CREATE TABLE esc(i INT) ENGINE \"org.h2.mvstore.db.MVTableEngine\""}) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
            e -> assertThat(e.getErrorCode()).as(sql).isEqualTo(1227));
      }
      s.execute("CREATE TABLE mine(i INT PRIMARY KEY) ENGINE=InnoDB"); // MySQL's table option: fine
      s.executeUpdate("INSERT INTO mine VALUES (1)");
      assertThat(stack.node("db-1").isRunning()).isTrue();
      assertConverged(stack);
    }
  }
}

package dev.webstack.database;

import static dev.webstack.database.SqlShapesReplicationTest.assertConverged;
import static dev.webstack.database.SqlShapesReplicationTest.primary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tables outside the default schema, and DDL that changes a table while its rows wait in a relay log. */
class SchemasAndDdlReplicationTest {

  @Test
  void rowsInAnotherSchema_replicate() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA shop");
      s.execute("CREATE TABLE shop.items(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))");
      s.execute("CREATE TABLE shop.kv(k VARCHAR(10) PRIMARY KEY, n INT)"); // the same name as public's kv
      s.executeUpdate("INSERT INTO shop.items(name) VALUES ('a'), ('b'), ('c')");
      s.executeUpdate("UPDATE shop.items SET name = 'B' WHERE id = 2");
      s.executeUpdate("DELETE FROM shop.items WHERE id = 3");
      s.executeUpdate("INSERT INTO shop.kv VALUES ('x', 1)");
      s.executeUpdate("UPDATE shop.kv SET k = 'y'");
      DatabaseCluster db = stack.databaseCluster();
      assertConverged(stack);
      assertThat(db.content("db-2").get("shop.items")).containsExactly(List.of(1, "a"), List.of(2, "B"));
      assertThat(db.content("db-3").get("shop.kv")).containsExactly(List.of("y", 1));
      assertThat(db.content("db-3").get("kv")).hasSize(1); // public's, from the schema script
    }
  }

  @Test
  void schemasWhoseNamesMatchAsLikePatterns_keepTheirOwnColumns() throws Exception {
    // JDBC metadata takes schema names as LIKE patterns: "a_b" also matches "axb".
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA \"a_b\"");
      s.execute("CREATE SCHEMA \"axb\"");
      s.execute("CREATE TABLE \"a_b\".t(id INT PRIMARY KEY, v VARCHAR(5))");
      s.execute("CREATE TABLE \"axb\".t(id INT PRIMARY KEY, w INT, z INT)");
      s.executeUpdate("INSERT INTO \"a_b\".t VALUES (1, 'one')");
      s.executeUpdate("INSERT INTO \"axb\".t VALUES (1, 2, 3)");
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-2").get("a_b.t")).containsExactly(List.of(1, "one"));
      assertThat(stack.databaseCluster().content("db-2").get("axb.t")).containsExactly(List.of(1, 2, 3));
    }
  }

  @Test
  void aPromotedReplica_continuesTheIdentityOfATableInAnotherSchema() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      try (Connection c = primary(stack); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA shop");
        s.execute("CREATE TABLE shop.items(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))");
        s.executeUpdate("INSERT INTO shop.items(name) VALUES ('a'), ('b')");
      }
      stack.node("db-1").kill();
      stack.databaseCluster().failover();
      try (Connection c = primary(stack); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO shop.items(name) VALUES ('c')");
      }
      assertThat(stack.databaseCluster().content("db-2").get("shop.items")).extracting(r -> r.get(0))
          .containsExactly(1, 2, 3);
    }
  }

  @Test
  void ddlAfterSetSchema_runsInThatSchemaOnTheReplicas() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA shop");
      s.execute("SET SCHEMA shop");
      s.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(20))");
      s.executeUpdate("INSERT INTO items VALUES (1, 'a')");
      s.execute("ALTER TABLE items ADD COLUMN price INT DEFAULT 5");
      s.executeUpdate("INSERT INTO items VALUES (2, 'b', 7)");
      s.execute("SET SCHEMA public");
      s.execute("CREATE TABLE items(id INT PRIMARY KEY)"); // public's own, a different table
      s.executeUpdate("INSERT INTO items VALUES (9)");
      assertConverged(stack);
      DatabaseCluster db = stack.databaseCluster();
      assertThat(db.content("db-2").get("shop.items")).containsExactly(List.of(1, "a", 5), List.of(2, "b", 7));
      assertThat(db.content("db-2").get("items")).containsExactly(List.of(9));
    }
  }

  @Test
  void alterTable_whileRowsOfTheOldShapeWaitInTheRelayLog_appliesEachInItsShape() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      DatabaseCluster db = stack.databaseCluster();
      s.execute("CREATE TABLE a(id INT PRIMARY KEY, x VARCHAR(10), y INT)");
      db.replica("db-2").stopApplier();
      db.replica("db-3").applyDelay(Duration.ofSeconds(10));
      s.executeUpdate("INSERT INTO a VALUES (1, 'one', 10), (2, 'two', 20)");
      s.execute("ALTER TABLE a ADD COLUMN z INT DEFAULT 7 NOT NULL");
      s.executeUpdate("INSERT INTO a VALUES (3, 'three', 30, 3)");
      s.executeUpdate("UPDATE a SET x = 'uno' WHERE id = 1");
      s.execute("ALTER TABLE a DROP COLUMN y");
      s.executeUpdate("INSERT INTO a VALUES (4, 'four', 4)");
      s.execute("ALTER TABLE a ALTER COLUMN x RENAME TO label");
      s.executeUpdate("UPDATE a SET label = 'dos' WHERE id = 2");
      s.execute("ALTER TABLE a RENAME TO b");
      s.executeUpdate("INSERT INTO b VALUES (5, 'five', 5)");
      s.executeUpdate("DELETE FROM b WHERE id = 3");
      s.execute("ALTER TABLE b ADD COLUMN w VARCHAR(5) FIRST");
      s.executeUpdate("INSERT INTO b VALUES ('w', 6, 'six', 6)");
      assertThat(db.status("db-2").relayLogTransactions()).isGreaterThan(10);
      db.replica("db-2").startApplier();
      stack.clock().advance(Duration.ofSeconds(11));
      assertConverged(stack);
      assertThat(db.content("db-3").get("b")).hasSize(5);
      assertThat(db.content("db-3")).doesNotContainKey("a");
    }
  }

  /**
   * MySQL: the ALTER waits for its metadata lock until the open transaction commits, then runs. Here the ALTER used
   * to wait for H2's table lock while holding the log's monitor, which the open transaction's commit needs: the
   * commit waited until the ALTER timed out.
   */
  @Test
  void alterTable_onATableWithAnOpenTransaction_waitsForItsCommit_thenRuns() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection a = primary(stack); Statement sa = a.createStatement();
        Connection b = primary(stack); Statement sb = b.createStatement();
        Connection watcher = primary(stack)) {
      sa.execute("CREATE TABLE t(id INT PRIMARY KEY)");
      sb.execute("SET LOCK_TIMEOUT 5000");
      a.setAutoCommit(false);
      sa.executeUpdate("INSERT INTO t VALUES (1)");
      ExecutorService executor = Executors.newSingleThreadExecutor();
      try {
        Future<Boolean> alter = executor.submit(() -> sb.execute("ALTER TABLE t ADD COLUMN v INT DEFAULT 3"));
        stack.await("the ALTER is running", Duration.ofSeconds(10), () -> alterRunning(watcher) || alter.isDone());
        assertThat(alter.isDone()).as("the ALTER waits for the open transaction").isFalse();
        a.commit();
        alter.get(10, TimeUnit.SECONDS);
      } finally {
        executor.shutdownNow();
      }
      a.setAutoCommit(true);
      sa.executeUpdate("INSERT INTO t(id) VALUES (2)");
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-2").get("t")).containsExactly(List.of(1, 3), List.of(2, 3));
    }
  }

  @Test
  void alterTable_whoseLockStaysTaken_failsAfterTheSessionsLockTimeout_andLogsNothing() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection a = primary(stack); Statement sa = a.createStatement();
        Connection b = primary(stack); Statement sb = b.createStatement()) {
      sa.execute("CREATE TABLE t(id INT PRIMARY KEY)");
      sb.execute("SET LOCK_TIMEOUT 100");
      a.setAutoCommit(false);
      sa.executeUpdate("INSERT INTO t VALUES (1)");
      GtidSet before = ((H2Database) stack.databaseCluster().primary()).executedGtids();
      assertThatThrownBy(() -> sb.execute("ALTER TABLE t ADD COLUMN v INT"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(50200));
      assertThat(((H2Database) stack.databaseCluster().primary()).executedGtids()).isEqualTo(before);
      a.commit();
      sb.execute("ALTER TABLE t ADD COLUMN v INT DEFAULT 4"); // the lock timeout is the session's again
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-2").get("t")).containsExactly(List.of(1, 4));
    }
  }

  /**
   * MySQL has no sequences; MariaDB, which has, replicates their state, and H2 users draw ids from them. A
   * promoted replica whose sequence stood where it was created handed out the old primary's values again.
   */
  @Test
  void aPromotedReplica_continuesASequence_pastEveryValueTheOldPrimaryHandedOut() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      try (Connection c = primary(stack); Statement s = c.createStatement()) {
        s.execute("CREATE SEQUENCE seq");
        s.execute("CREATE SCHEMA shop");
        s.execute("CREATE SEQUENCE shop.order_no START WITH 100 INCREMENT BY 10");
        s.execute("CREATE TABLE o(id BIGINT DEFAULT NEXT VALUE FOR seq PRIMARY KEY, no BIGINT)");
        s.executeUpdate("INSERT INTO o(no) VALUES (NEXT VALUE FOR shop.order_no)");
        s.executeUpdate("INSERT INTO o VALUES (NEXT VALUE FOR seq, NEXT VALUE FOR shop.order_no)");
        try (ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR seq")) { // drawn by a read, no row
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(3);
        }
      }
      assertConverged(stack);
      H2Database replica = (H2Database) stack.node("db-2");
      try (Connection c = replica.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeQuery("SELECT COUNT(*) FROM o").close(); // a read on a replica whose sequences moved logs nothing
      }
      assertThat(replica.executedGtids()).isEqualTo(((H2Database) stack.node("db-1")).executedGtids());
      stack.node("db-1").kill();
      stack.databaseCluster().failover();
      try (Connection c = primary(stack); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO o(no) VALUES (NEXT VALUE FOR shop.order_no)");
      }
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-3").get("o"))
          .containsExactly(List.of(1L, 100L), List.of(2L, 110L), List.of(4L, 120L));
      stack.node("db-2").kill(); // and once more: db-3 learned of the value db-2 handed out
      stack.databaseCluster().failover();
      try (Connection c = primary(stack); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO o(no) VALUES (NEXT VALUE FOR shop.order_no)");
      }
      assertThat(stack.databaseCluster().content("db-3").get("o")).extracting(r -> r.get(0))
          .containsExactly(1L, 2L, 4L, 5L);
    }
  }

  @Test
  void aReadOnThePrimary_logsNothing_whileAnotherSessionsDrawIsUncommitted() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection drawer = primary(stack); Connection reader = primary(stack);
        Statement d = drawer.createStatement(); Statement r = reader.createStatement()) {
      d.execute("CREATE SEQUENCE seq");
      H2Database db1 = (H2Database) stack.node("db-1");
      drawer.setAutoCommit(false);
      d.executeQuery("SELECT NEXT VALUE FOR seq").close();
      GtidSet before = db1.executedGtids();
      r.executeQuery("SELECT COUNT(*) FROM kv").close(); // autocommit: a commit with no rows
      reader.setAutoCommit(false);
      r.executeQuery("SELECT COUNT(*) FROM kv").close();
      reader.commit();
      assertThat(db1.executedGtids()).as("a read creates no GTID, as in MySQL").isEqualTo(before);
      drawer.commit(); // the draw's own commit logs the move
      assertThat(db1.executedGtids()).isNotEqualTo(before);
      assertConverged(stack);
    }
  }

  private static boolean alterRunning(Connection c) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE EXECUTING_STATEMENT LIKE 'ALTER TABLE t %'")) {
      return rs.next() && rs.getInt(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

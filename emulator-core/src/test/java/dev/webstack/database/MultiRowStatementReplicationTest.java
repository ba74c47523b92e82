package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Statements that change several rows at once, whose row images replayed one by one would not give the source's
 * result: keys or unique values moved along, identical rows in a table without a key, foreign keys in between.
 */
class MultiRowStatementReplicationTest {

  private static Connection primary(EmulatedStack stack) throws SQLException {
    return ((DatabaseNode) stack.node("db-1")).dataSource().getConnection();
  }

  private static void assertConverged(EmulatedStack stack, String table) throws SQLException {
    DatabaseCluster db = stack.databaseCluster();
    assertThat(db.status("db-2").lastError()).as("db-2's applier error").isEmpty();
    assertThat(db.content("db-2").get(table)).as("db-2's %s", table).isEqualTo(db.content("db-1").get(table));
  }

  @Test
  void anUpdateThatShiftsPrimaryKeys_leavesTheReplicaWithEveryRow() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE s(id INT PRIMARY KEY, v VARCHAR(10))");
      s.executeUpdate("INSERT INTO s VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      s.executeUpdate("UPDATE s SET id = id + 1");
      assertConverged(stack, "s");
      assertThat(stack.databaseCluster().content("db-2").get("s")).hasSize(3);
    }
  }

  @Test
  void anUpdateThatSwapsTheKeysOfIdenticalRows_keepsBoth() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE s(id INT PRIMARY KEY, v VARCHAR(10))");
      s.executeUpdate("INSERT INTO s VALUES (1, 'a'), (2, 'a')");
      s.executeUpdate("UPDATE s SET id = 3 - id");
      assertConverged(stack, "s");
      assertThat(stack.databaseCluster().content("db-2").get("s")).hasSize(2);
    }
  }

  @Test
  void anUpdateThatShiftsAUniqueColumn_doesNotStopTheApplier() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE u(id INT PRIMARY KEY, n INT UNIQUE)");
      s.executeUpdate("INSERT INTO u VALUES (1, 1), (2, 2), (3, 3)");
      s.executeUpdate("UPDATE u SET n = n + 1");
      assertConverged(stack, "u");
    }
  }

  @Test
  void identicalRowsWithoutAKey_areUpdatedAndDeletedOneForOne() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE np(a INT, b VARCHAR(10))");
      s.executeUpdate("INSERT INTO np VALUES (1, 'x'), (1, 'x'), (1, 'x'), (2, 'y')");
      s.executeUpdate("UPDATE np SET b = 'z' WHERE a = 1 LIMIT 1");
      assertConverged(stack, "np");
      s.executeUpdate("UPDATE np SET b = 'y' WHERE b = 'z'"); // now identical to (2, 'y') but for a
      s.executeUpdate("UPDATE np SET a = 2 WHERE b = 'y'"); // two identical rows made from two
      assertConverged(stack, "np");
      s.executeUpdate("DELETE FROM np WHERE a = 1 LIMIT 1");
      assertConverged(stack, "np");
      s.executeUpdate("DELETE FROM np WHERE a = 2");
      assertConverged(stack, "np");
      assertThat(stack.databaseCluster().content("db-2").get("np")).hasSize(1);
    }
  }

  @Test
  void aPreparedBatchThatMovesAKeyTwice_isAppliedInTheBatchsOrder() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE s(id INT PRIMARY KEY, v VARCHAR(10))");
      s.executeUpdate("INSERT INTO s VALUES (1, 'a')");
      try (PreparedStatement ps = c.prepareStatement("UPDATE s SET id = ? WHERE id = ?")) {
        ps.setInt(1, 2);
        ps.setInt(2, 1);
        ps.addBatch();
        ps.setInt(1, 3);
        ps.setInt(2, 2);
        ps.addBatch();
        ps.executeBatch();
      }
      assertConverged(stack, "s");
      assertThat(stack.databaseCluster().content("db-2").get("s")).hasSize(1);
    }
  }

  @Test
  void aMultiRowUpdateOfParents_neitherCascadesNorTripsOverTheirChildren() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE parent(id INT PRIMARY KEY, name VARCHAR(10))");
      s.execute("CREATE TABLE child(id INT PRIMARY KEY, parent_id INT REFERENCES parent(id) ON DELETE CASCADE)");
      s.executeUpdate("INSERT INTO parent VALUES (1, 'a'), (2, 'b')");
      s.executeUpdate("INSERT INTO child VALUES (10, 1), (20, 2)");
      s.executeUpdate("UPDATE parent SET name = UPPER(name)");
      assertConverged(stack, "parent");
      assertConverged(stack, "child");
      s.executeUpdate("DELETE FROM parent WHERE id = 1"); // the cascade's rows replicate as rows of their own
      assertConverged(stack, "parent");
      assertConverged(stack, "child");
      assertThat(stack.databaseCluster().content("db-2").get("child")).hasSize(1);
    }
  }
}

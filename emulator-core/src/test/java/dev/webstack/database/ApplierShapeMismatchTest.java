package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A replica whose table has another shape than its source's rows: its applier stops, nothing else fails. */
class ApplierShapeMismatchTest {

  /**
   * A rejoined old primary keeps its errant {@code ALTER TABLE ... ADD COLUMN} (as in MySQL), so its table has a
   * trailing column the new primary's rows lack. Binding those rows by position threw {@code
   * ArrayIndexOutOfBoundsException} out of the applier, on a manual clock into the client's commit on the primary
   * (found by SchemaSequenceFaultStressTest seed 25). MySQL applies them to the common columns and leaves the extra
   * one at its default on insert, at its value on update.
   */
  @Test
  void aReplicaWithAnExtraTrailingColumn_appliesTheSourcesRows_andKeepsItsOwnColumn() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      exec(stack, "CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      SqlShapesReplicationTest.assertConverged(stack);
      db.replica("db-2").stopReceiver();
      exec(stack, "ALTER TABLE t ADD COLUMN extra INT DEFAULT 7"); // db-2 never gets it
      stack.node("db-1").kill();
      db.failover();
      stack.node("db-1").restart();
      assertThat(db.rejoin("db-1").isEmpty()).isFalse(); // the ALTER is errant there

      exec(stack, "INSERT INTO t VALUES (3, 'c')", "UPDATE t SET v = 'A' WHERE id = 1", "DELETE FROM t WHERE id = 2",
          "UPDATE t SET id = 4 WHERE id = 3");

      ReplicationStatus st = db.status("db-1");
      assertThat(st.applierRunning()).as("%s", st).isTrue();
      assertThat(st.lastErrno()).isZero();
      assertThat(db.content("db-1").get("t"))
          .containsExactly(List.of(1, "A", 7), List.of(4, "c", 7));
    }
  }

  /** The other way round: the source's extra trailing values are dropped, as MySQL drops them. */
  @Test
  void aReplicaWithoutTheSourcesTrailingColumn_appliesTheCommonColumns() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      exec(stack, "CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(10), w INT)", "INSERT INTO t VALUES (1, 'a', 1)");
      SqlShapesReplicationTest.assertConverged(stack);
      db.replica("db-2").stopReceiver();
      exec(stack, "ALTER TABLE t DROP COLUMN w"); // db-2 keeps w
      stack.node("db-1").kill();
      db.failover();
      stack.node("db-1").restart();
      db.rejoin("db-1");

      exec(stack, "INSERT INTO t VALUES (2, 'b', 2)", "UPDATE t SET v = 'A', w = 9 WHERE id = 1");

      ReplicationStatus st = db.status("db-1");
      assertThat(st.lastErrno()).as("%s", st).isZero();
      assertThat(db.content("db-1").get("t")).containsExactly(List.of(1, "A"), List.of(2, "b"));
    }
  }

  /** When the replica's primary key is a column the source's rows lack, rows cannot be found: 1532, as in MySQL. */
  @Test
  void aReplicaKeyedOnAColumnTheSourceLacks_stopsTheApplierWith1532() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      exec(stack, "CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(10))");
      SqlShapesReplicationTest.assertConverged(stack);
      db.replica("db-2").stopReceiver();
      exec(stack, "ALTER TABLE t ADD COLUMN k INT DEFAULT 0 NOT NULL", "ALTER TABLE t DROP PRIMARY KEY",
          "ALTER TABLE t ADD PRIMARY KEY (k)");
      stack.node("db-1").kill();
      db.failover();
      stack.node("db-1").restart();
      db.rejoin("db-1");

      exec(stack, "INSERT INTO t VALUES (1, 'a')"); // the source's commit stands, whatever db-1 makes of it

      assertThat(db.content("db-2").get("t")).hasSize(1);
      ReplicationStatus st = db.status("db-1");
      assertThat(st.applierRunning()).isFalse();
      assertThat(st.lastErrno()).isEqualTo(1532);
    }
  }

  private static void exec(EmulatedStack stack, String... sql) throws Exception {
    try (Connection c = SqlShapesReplicationTest.primary(stack); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /**
   * Whatever the applier trips over (here an event of no kind it knows, standing for a defect of its own), it stops
   * with an error in its status, as MySQL's SQL thread stops with 1105; the exception used to escape into the thread
   * that applied, on a manual clock the source's committing client.
   */
  @Test
  void anUnexpectedFailureOfTheApplier_stopsItWith1105_andLeavesTheSourcesCommitAlone() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      H2Database primary = (H2Database) stack.node("db-1");
      try (NodeConnection c = primary.openConnection("test", null)) {
        c.setAutoCommit(false);
        BinlogTx tx = primary.commit(c, new java.util.ArrayList<>(java.util.List.of("not an event")));
        assertThat(tx).isNotNull();
      }
      ReplicationStatus st = stack.databaseCluster().status("db-2");
      assertThat(st.applierRunning()).isFalse();
      assertThat(st.lastErrno()).isEqualTo(1105);
      assertThat(st.lastError()).contains("ClassCastException");
    }
  }
}

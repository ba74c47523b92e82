package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A replica whose table has another shape than its source's rows: its applier stops, nothing else fails. */
class ApplierShapeMismatchTest {

  /**
   * A rejoined old primary keeps its errant {@code ALTER TABLE} (as in MySQL), so its table has a column the new
   * primary's rows lack. Binding those rows to its own columns threw {@code ArrayIndexOutOfBoundsException} out of
   * the applier: on a manual clock into the client's commit on the primary, which had already logged it (found by
   * SchemaSequenceFaultStressTest seed 25). The applier must stop with an error instead, as a MySQL SQL thread
   * stops on a row it cannot apply.
   */
  @Test
  void aRowOfTheSourcesShape_thatTheReplicasTableCannotTake_stopsTheApplier_notTheSourcesCommit() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = SqlShapesReplicationTest.primary(stack); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(10))");
      }
      SqlShapesReplicationTest.assertConverged(stack);
      db.replica("db-2").stopReceiver();
      try (Connection c = SqlShapesReplicationTest.primary(stack); Statement s = c.createStatement()) {
        s.execute("ALTER TABLE t ADD COLUMN extra INT DEFAULT 7"); // db-2 never gets it
      }
      stack.node("db-1").kill();
      db.failover();
      stack.node("db-1").restart();
      assertThat(db.rejoin("db-1").isEmpty()).isFalse(); // the ALTER is errant there

      try (Connection c = SqlShapesReplicationTest.primary(stack); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO t VALUES (1, 'a')"); // acknowledged by db-2, whatever db-1 makes of it
      }

      assertThat(db.content("db-2").get("t")).hasSize(1);
      ReplicationStatus st = db.status("db-1");
      assertThat(st.applierRunning() && st.lastErrno() == 0
          ? db.content("db-1").get("t").size() == 1 // applied (MySQL fills a replica's extra trailing columns)
          : st.lastErrno() != 0).as("%s", st).isTrue();
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

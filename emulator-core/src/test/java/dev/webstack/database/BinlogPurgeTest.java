package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The binary logs keep only what some node still lacks, and nothing a replica or a failover report needs. */
class BinlogPurgeTest {

  private static final int PURGE_AT = ReplicationCluster.PURGE_AT;

  private static H2Database node(EmulatedStack stack, String name) {
    return (H2Database) stack.node(name);
  }

  private static void write(EmulatedStack stack, String prefix, int rows) throws SQLException {
    try (Connection c = stack.databaseCluster().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, 'x')")) {
      for (int i = 0; i < rows; i++) {
        ps.setString(1, prefix + i);
        ps.executeUpdate();
      }
    }
  }

  @Test
  void aLongRun_keepsOnlyARecentTailOfEveryLog() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      write(stack, "k", 8 * PURGE_AT);

      for (String n : new String[] {"db-1", "db-2", "db-3"}) {
        assertThat(node(stack, n).binlogRetained()).as(n).isLessThanOrEqualTo(PURGE_AT);
      }
      DatabaseCluster db = stack.databaseCluster();
      assertThat(node(stack, "db-1").binlogEnd()).isEqualTo(8L * PURGE_AT); // positions count purged entries
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.status("db-2").applyLag()).isZero();
    }
  }

  @Test
  void aStoppedReceiver_keepsWhatItLacks_thenCatchesUpFromTheLog() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.replica("db-3").stopReceiver();
      write(stack, "k", 4 * PURGE_AT);
      assertThat(node(stack, "db-1").binlogRetained()).isGreaterThanOrEqualTo(4 * PURGE_AT);

      db.replica("db-3").startReceiver();
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-3")).isEqualTo(db.content("db-1"));
      write(stack, "more", 2); // the next apply purges what all three now have
      assertThat(node(stack, "db-1").binlogRetained()).isLessThanOrEqualTo(PURGE_AT);
    }
  }

  @Test
  void aFailoverAfterManyPurges_reportsExactlyTheUnreplicatedWrites() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      write(stack, "k", 3 * PURGE_AT);
      db.replica("db-2").stopReceiver();
      db.replica("db-3").stopReceiver();
      write(stack, "lost", 5);

      stack.node("db-1").kill();
      FailoverReport report = db.failover();

      assertThat(report.lostAcknowledged().size()).isEqualTo(5);
      Set<Object> keys = new LinkedHashSet<>();
      report.lostRows().forEach(r -> keys.add(r.key().get(0)));
      assertThat(keys).containsExactly("lost0", "lost1", "lost2", "lost3", "lost4");
    }
  }
}

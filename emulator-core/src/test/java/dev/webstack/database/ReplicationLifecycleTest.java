package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replicated stacks run no thread of their own and leave none behind, even closed in the middle of replication,
 * and on the real clock keep replicating through every hand-off between the committing thread and the task pool.
 */
class ReplicationLifecycleTest {

  private static List<String> threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith(prefix)).sorted().toList();
  }

  @Test
  void fiftyCyclesWithReplicationInFlight_leaveNoThread() throws Exception {
    StackSpec spec = Stacks.kv(db -> db.replicas(2).semiSync(Duration.ofMillis(200))
        .applyDelay(Duration.ofMillis(5))).toBuilder().realClock().build();
    for (int i = 0; i < 50; i++) {
      EmulatedStack stack = spec.start();
      try (Connection c = stack.databaseCluster().dataSource().getConnection();
          Statement s = c.createStatement()) {
        for (int j = 0; j < 20; j++) {
          s.executeUpdate("INSERT INTO events(note) VALUES ('cycle " + i + "')");
        }
      } finally {
        stack.close(); // appliers still have work scheduled
      }
      assertThat(threads("webstack-" + stack.name() + " ")).isEmpty();
    }
    assertThat(threads("webstack-")).allMatch(n -> !n.contains(spec.name() + "-"));
  }

  @Test
  void realClock_replicationRunsOnTheStacksTaskThreads() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).toBuilder().realClock().build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.replica("db-2").applyDelay(Duration.ofMillis(30));
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('a', 'b')");
      }
      stack.await("db-2 applied", Duration.ofSeconds(10), db::isConverged);
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(threads("webstack-" + stack.name()))
          .allMatch(n -> n.matches("webstack-" + java.util.regex.Pattern.quote(stack.name())
              + "( I/O-\\d+| Accept| task-\\d+| system-\\d+| client-\\d+)"));
    }
  }

  /**
   * A TRUNCATE (a statement event, which the applier commits on its own) right after a burst of inserts, again and
   * again on the real clock, as a test suite empties a table between tests: the replica applies the rest of the
   * burst, then the TRUNCATE, every time, whichever thread the receiver's and applier's wake-ups find running.
   */
  @Test
  void realClock_truncateRightAfterEachBurstOfInserts_replicaConvergesEveryRound() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).toBuilder().realClock().build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = ((DatabaseNode) stack.node("db-1")).dataSource().getConnection();
          Statement s = c.createStatement();
          PreparedStatement insert = c.prepareStatement("INSERT INTO events(note) VALUES (?)")) {
        for (int round = 0; round < 100; round++) {
          s.execute("TRUNCATE TABLE events");
          stack.await("db-2 applied round " + round + "'s TRUNCATE", Duration.ofSeconds(10), db::isConverged);
          assertThat(db.content("db-2").get("events")).isEmpty();
          for (int i = 0; i < 100; i++) {
            insert.setString(1, "round " + round + " row " + i);
            insert.executeUpdate();
          }
        }
      }
      stack.await("db-2 applied the last burst", Duration.ofSeconds(10), db::isConverged);
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.content("db-2").get("events")).hasSize(100);
    }
  }
}

package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@code status(..)} shows of a receiver stopped by an error, whatever the applier does. */
class ReceiverErrorStatusTest {

  /**
   * MySQL keeps the IO thread's error ({@code Last_IO_Errno}) apart from the SQL thread's ({@code Last_SQL_Errno}):
   * {@code START REPLICA SQL_THREAD} clears only the latter. Here both share {@code lastErrno}, and starting the
   * applier erased the receiver's 1236 (found by SchemaSequenceFaultStressTest seed 3): the replica showed
   * {@code receiverState=No} with no error, so nothing said that it needs a rebuild.
   */
  @Test
  void startingTheApplier_keepsTheErrorThatStoppedTheReceiver() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      FailoverTest.writeKeys(stack, 0, 2);
      stack.node("db-1").kill();
      db.failover(); // db-1 detached; the new primary purges what every other node executed
      try (var c = ((H2Database) db.primary()).dataSource().getConnection(); var s = c.createStatement()) {
        for (int i = 0; i < ReplicationCluster.PURGE_AT + 10; i++) {
          s.executeUpdate("INSERT INTO kv(k, v) VALUES ('bulk-" + i + "', 'x')");
        }
      }
      stack.node("db-1").restart();
      db.rejoin("db-1");
      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(db.status("db-1").lastErrno()).isEqualTo(13114);

      db.replica("db-1").startApplier(); // START REPLICA SQL_THREAD

      ReplicationStatus st = db.status("db-1");
      assertThat(st.receiverState()).isEqualTo("No");
      assertThat(st.lastErrno()).as("%s", st).isEqualTo(13114);
      assertThat(st.lastError()).contains("1236");

      db.replica("db-1").startReceiver(); // START REPLICA IO_THREAD: tries again, and fails again
      assertThat(db.status("db-1").receiverState()).isEqualTo("No");
      assertThat(db.status("db-1").lastErrno()).isEqualTo(13114);
    }
  }
}

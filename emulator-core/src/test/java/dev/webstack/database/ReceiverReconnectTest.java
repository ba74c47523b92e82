package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.inspection.StackEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A replica's receiver that loses its source (killed and restarted, no failover) retries on the stack clock every
 * {@code connectRetry} ({@code SOURCE_CONNECT_RETRY}) and resumes by GTID once the source is back.
 */
class ReceiverReconnectTest {

  @Test
  void killedSource_receiversShowConnecting_retryOnTheStackClock_andResumeByGtidOnceItIsBack() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2).shipDelay(Duration.ofMillis(100))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.replica("db-3").connectRetry(Duration.ofSeconds(1));
      FailoverTest.writeKeys(stack, 0, 5); // 10 ms apart: none has reached a replica (100 ms ship delay)
      assertThat(db.status("db-2").executed().size()).isZero();

      stack.node("db-1").kill();
      for (String replica : new String[] {"db-2", "db-3"}) {
        ReplicationStatus s = db.status(replica);
        assertThat(s.receiverState()).as(replica).isEqualTo("Connecting");
        assertThat(s.secondsBehindSource()).as(replica).isEmpty();
        assertThat(s.connected()).as(replica).isTrue(); // the link is fine; the source is gone
      }
      assertThat(db.status("db-2").connectRetry()).isEqualTo(Duration.ofSeconds(3)); // MySQL's 60 s / 20
      assertThat(db.status("db-3").connectRetry()).isEqualTo(Duration.ofSeconds(1));

      stack.clock().advance(Duration.ofMillis(1500)); // db-3 tried at +1 s: still down
      assertThat(db.status("db-3").receiverState()).isEqualTo("Connecting");
      stack.node("db-1").restart();
      // Back, but the receivers only notice at their next attempt.
      assertThat(db.status("db-2").receiverState()).isEqualTo("Connecting");
      assertThat(db.status("db-3").receiverState()).isEqualTo("Connecting");
      assertThat(db.isConverged()).isFalse();

      stack.clock().advance(Duration.ofSeconds(1)); // +2.5 s: db-3 reconnected at +2 s, db-2 waits until +3 s
      assertThat(db.status("db-3").receiverState()).isEqualTo("Yes");
      assertThat(FailoverTest.kvOf(db, "db-3")).isEqualTo(FailoverTest.kvOf(db, "db-1")).hasSize(6); // the seed row and key-0..4
      assertThat(db.status("db-2").receiverState()).isEqualTo("Connecting");
      assertThat(db.status("db-2").executed().size()).isZero();

      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(db.status("db-2").receiverState()).isEqualTo("Yes");
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.content("db-3")).isEqualTo(db.content("db-1"));
      assertThat(stack.events()).extracting(StackEvent::type).contains("replica-connecting", "replica-connected");
      assertThat(db.failovers()).isEmpty();
    }
  }

  @Test
  void afterReconnecting_newWritesOfTheRestartedPrimaryReplicate() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      FailoverTest.writeKeys(stack, 0, 2);
      stack.node("db-1").kill();
      stack.node("db-1").restart();
      db.setReadOnly("db-1", false); // a restarted node comes back read-only
      FailoverTest.writeKeys(stack, 2, 4); // acknowledged while db-2 is still Connecting: not received yet
      assertThat(FailoverTest.kvOf(db, "db-2")).hasSize(3); // the seed row, key-0, key-1
      stack.clock().advance(Duration.ofSeconds(3));
      assertThat(db.status("db-2").receiverState()).isEqualTo("Yes");
      assertThat(db.isConverged()).isTrue();
      assertThat(FailoverTest.kvOf(db, "db-2")).isEqualTo(FailoverTest.kvOf(db, "db-1")).hasSize(5);
    }
  }

  @Test
  void startReceiver_onARetryingReceiver_connectsAtOnce_andStopReceiverStopsRetrying() {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      Replica replica = db.replica("db-2");
      stack.node("db-1").kill();
      assertThat(replica.status().receiverState()).isEqualTo("Connecting");
      replica.startReceiver(); // source still down: back to retrying
      assertThat(replica.status().receiverState()).isEqualTo("Connecting");
      stack.node("db-1").restart();
      replica.startReceiver();
      assertThat(replica.status().receiverState()).isEqualTo("Yes");

      stack.node("db-1").kill();
      replica.stopReceiver();
      assertThat(replica.status().receiverState()).isEqualTo("No");
      stack.node("db-1").restart();
      stack.clock().advance(Duration.ofSeconds(10));
      assertThat(replica.status().receiverState()).isEqualTo("No"); // a stopped receiver does not retry
      assertThatThrownBy(() -> replica.connectRetry(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("connectRetry (PT0S) must be positive");
    }
  }

  @Test
  void realClock_receiverReconnectsWithoutHelp() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).toBuilder().realClock().build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.replica("db-2").connectRetry(Duration.ofMillis(20));
      db.replica("db-3").connectRetry(Duration.ofMillis(20));
      db.replica("db-2").shipDelay(Duration.ofSeconds(30)); // keeps the writes from arriving before the kill
      FailoverTest.writeKeys(stack, 0, 3);
      stack.node("db-1").kill();
      db.replica("db-2").shipDelay(Duration.ZERO);
      stack.node("db-1").restart();
      stack.await("replicas converged", Duration.ofSeconds(10), db::isConverged);
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.content("db-3")).isEqualTo(db.content("db-1"));
    }
  }
}

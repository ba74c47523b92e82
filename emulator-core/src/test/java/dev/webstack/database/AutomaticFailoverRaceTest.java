package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** Automatic failover against manual failovers and kills in the middle of a failover. */
class AutomaticFailoverRaceTest {

  /** True while some thread waits to enter a failover of {@code ReplicationCluster}. */
  static boolean aFailoverIsBlocked() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getState() == Thread.State.BLOCKED)
        .anyMatch(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(
            ReplicationCluster.class.getName()) && f.getMethodName().startsWith("failover")));
  }

  @Test
  void anAutomaticFailoverDueWhileAManualOneRuns_doesNotFailOverTheNewPrimaryToo() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(2).automaticFailover(Duration.ofMillis(20))).toBuilder()
        .realClock().build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      FailoverReport manual;
      synchronized (db) { // the manual failover tool holds the topology while the detection delay runs out
        stack.node("db-1").kill();
        stack.await("the automatic failover is due", Duration.ofSeconds(10),
            AutomaticFailoverRaceTest::aFailoverIsBlocked);
        manual = db.failover();
      }
      stack.await("the automatic failover task is done", Duration.ofSeconds(10), () -> !aFailoverIsBlocked());
      stack.await("settled", Duration.ofSeconds(10), () -> stack.events().stream().anyMatch(
          e -> e.type().equals("failover") || e.type().equals("failover-failed")) && !aFailoverIsBlocked());

      assertThat(manual.newPrimary()).isEqualTo("db-2");
      assertThat(db.failovers()).as("failovers: %s", db.failovers()).hasSize(1);
      assertThat(db.primary().name()).isEqualTo("db-2");
      assertThat(db.status("db-2").superReadOnly()).isFalse();
    }
  }

  @Test
  void aCandidateKilledDuringTheFailover_isFailedOverAgainAutomatically() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(2).automaticFailover(Duration.ofSeconds(5))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      FailoverTest.writeKeys(stack, 0, 3);
      H2Database db2 = (H2Database) stack.node("db-2");
      java.lang.reflect.Field f = ReplicaChannel.class.getDeclaredField("applyLock");
      f.setAccessible(true);
      ReentrantLock applyLock = (ReentrantLock) f.get(db2.channel());
      stack.node("db-1").kill();
      CompletableFuture<FailoverReport> failover;
      applyLock.lock(); // the failover chose db-2 and waits to drain its relay log
      try {
        failover = CompletableFuture.supplyAsync(db::failover);
        stack.await("the failover drains db-2", Duration.ofSeconds(10), applyLock::hasQueuedThreads);
        stack.node("db-2").kill(); // dies in the middle of its promotion
      } finally {
        applyLock.unlock();
      }
      FailoverReport first = failover.get(10, TimeUnit.SECONDS);
      assertThat(first.newPrimary()).isEqualTo("db-2");
      stack.clock().advance(Duration.ofSeconds(6)); // the detection delay, from now

      assertThat(db.primary().name()).as("events: %s", stack.events()).isEqualTo("db-3");
    }
  }
}

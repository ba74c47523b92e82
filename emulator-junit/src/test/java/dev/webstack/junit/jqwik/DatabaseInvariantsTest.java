package dev.webstack.junit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.database.DatabaseCluster;
import dev.webstack.database.Operation;
import dev.webstack.junit.WebStack;
import dev.webstack.junit.jqwik.StackState.Step;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The database actions record what they did; the database invariants hold on a sound cluster and catch a broken one. */
class DatabaseInvariantsTest {

  @Test
  @WebStack(replicas = 1, replication = WebStack.Replication.SEMI_SYNC)
  void semiSync_failoverKeepsEveryAcknowledgedWrite_andTheReplicasConverge(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    state.writeKey("k1");
    state.writeKey("k2");
    stack.await("converged", Duration.ofSeconds(5), stack.databaseCluster()::isConverged);
    state.readKey("k1");              // from db-2, which has applied k1=v1
    state.writeKey("k1");
    state.failover();                 // the primary runs: nothing to do
    state.killPrimary();
    state.writeKey("k3");             // refused: the primary is down
    state.failover();
    state.restartDatabase("db-1");    // rejoins db-2 as a replica
    state.writeKey("k2");

    assertThat(state.steps()).extracting(Step::description).containsExactly(
        "write k1=v1 -> ok on db-1", "write k2=v2 -> ok on db-1", "read k1 -> k1=v1 on db-2",
        "write k1=v3 -> ok on db-1", "failover (primary db-1 runs: nothing to do)", "kill primary db-1",
        "write k3=v4 -> fail (08S01 Communications link failure: cannot reach db-1 at 10.0.0.31:3306 on host db-1, "
            + "which is down)", "failover db-1 -> db-2, 0 acknowledged transaction(s) lost",
        "restart db-1 (rejoined db-2 as a replica)", "write k2=v5 -> ok on db-2");
    assertThat(stack.databaseCluster().history().operations()).extracting(Operation::outcome).containsExactly(
        Operation.Outcome.OK, Operation.Outcome.OK, Operation.Outcome.OK, Operation.Outcome.OK,
        Operation.Outcome.FAIL, Operation.Outcome.OK);
    assertThat(state.unprotectedWrites()).isEmpty();
    assertThat(state.databaseFaults()).isEmpty();
    assertThatCode(() -> StackInvariants.noAcknowledgedWriteLost().accept(state)).doesNotThrowAnyException();
    assertThatCode(() -> StackInvariants.replicasConvergeAfterHeal().accept(state)).doesNotThrowAnyException();
  }

  @Test
  @WebStack(replicas = 1)
  void failover_withNoRunningReplica_isRecordedAsNothingToDo(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    stack.node("db-2").kill();
    state.killPrimary();
    Step step = state.failover();

    assertThat(step.description()).isEqualTo("failover (no running replica to promote in place of db-1)");
    assertThat(stack.databaseCluster().primary().name()).isEqualTo("db-1");
    assertThat(stack.databaseCluster().failovers()).isEmpty();
  }

  @Test
  @WebStack(replicas = 2, replication = WebStack.Replication.SEMI_SYNC)
  void killPrimaryWhileOthersRun_keepsOneDatabaseNodeDownAtATime(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    state.partitionReplica("db-2");
    state.writeKey("k1");             // acknowledged by db-3 only
    state.killPrimaryWhileOthersRun();
    state.failover();                 // db-3, which has k1
    state.killPrimaryWhileOthersRun(); // db-1 is down: killing db-3 too would leave k1 on no running node
    state.restartDatabase("db-1");
    state.killPrimaryWhileOthersRun();

    assertThat(state.steps()).extracting(Step::description).containsExactly("partition replication db-1->db-2",
        "write k1=v1 -> ok on db-1", "kill primary db-1", "failover db-1 -> db-3, 0 acknowledged transaction(s) lost",
        "kill primary db-3 (skipped: db-1 down already; one database node down at a time)",
        "restart db-1 (rejoined db-3 as a replica)", "kill primary db-3");
    state.failover();
    assertThat(state.lastStep().orElseThrow().description()).startsWith("failover db-3 -> db-1");
    assertThatCode(() -> StackInvariants.noAcknowledgedWriteLost().accept(state)).doesNotThrowAnyException();
  }

  @Test
  @WebStack(spec = DatabaseSpecs.AsyncLagging.class, manualClock = true)
  void noAcknowledgedWriteLost_catchesWhatAnAsyncFailoverLost(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    state.writeKey("k1");
    state.writeKey("k2");
    state.killPrimary();
    assertThatCode(() -> StackInvariants.noAcknowledgedWriteLost().accept(state)).doesNotThrowAnyException();
    state.failover();

    assertThat(state.lastStep().orElseThrow().description())
        .isEqualTo("failover db-1 -> db-2, 3 acknowledged transaction(s) lost"); // the CREATE TABLE and 2 writes
    assertThatThrownBy(() -> StackInvariants.noAcknowledgedWriteLost().accept(state))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("noAcknowledgedWriteLost: 2 acknowledged write(s) missing from the primary db-2 "
            + "(ASYNC replication): [chain wrote k1=k1=v1 (acknowledged), but the final state has no such key, "
            + "chain wrote k2=k2=v2 (acknowledged), but the final state has no such key]")
        .hasMessageContaining("#4 failover db-1 -> db-2");
  }

  @Test
  @WebStack(replicas = 1, replication = WebStack.Replication.SEMI_SYNC)
  void replicasConvergeAfterHeal_waitsOnlyWhenNoFaultIsActive_andFailsWhenAReplicaStaysBehind(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    DatabaseCluster db = stack.databaseCluster();
    state.writeKey("k1");
    db.replica("db-2").stopApplier(); // applies nothing more, but still acknowledges semi-sync commits
    state.writeKey("k2");
    assertThat(state.databaseFaults()).containsExactly("replica db-2 stopped");
    assertThatCode(() -> StackInvariants.replicasConvergeAfterHeal().accept(state)).doesNotThrowAnyException();

    assertThatThrownBy(() -> StackInvariants.converged(state, Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("replicasConvergeAfterHeal: the replicas did not converge within PT0.1S "
            + "(faults: [replica db-2 stopped])")
        .hasMessageContaining("db-2 REPLICA from db-1")
        .hasCauseInstanceOf(dev.webstack.AwaitTimeoutException.class); // the await's own report is kept

    db.replica("db-2").startApplier();
    state.partitionReplica("db-2");
    state.partitionReplica("db-2");
    assertThat(state.databaseFaults()).containsExactly("replication db-1->db-2 cut");
    state.healDatabase();
    assertThat(state.steps()).extracting(Step::description).endsWith("partition replication db-1->db-2",
        "partition replication db-1->db-2 (cut already)", "heal replication db-1->db-2");
    assertThatCode(() -> StackInvariants.replicasConvergeAfterHeal().accept(state)).doesNotThrowAnyException();
  }

  @Test
  @WebStack(replicas = 1)
  void converged_comparesRowByRow_whatIsConvergedCannotSee(EmulatedStack stack) throws Exception {
    StackState state = StackState.of(stack);
    state.writeKey("k1");
    DatabaseCluster db = stack.databaseCluster();
    stack.await("converged", Duration.ofSeconds(5), db::isConverged);
    db.setReadOnly("db-2", false); // an errant write on the replica, as a privileged client could make
    try (Connection c = stack.databaseCluster().replica("db-2").node().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE " + StackState.KV_TABLE + " SET v = 'errant' WHERE k = 'k1'");
    }
    db.setReadOnly("db-2", true);

    assertThat(db.isConverged()).isTrue();
    assertThatThrownBy(() -> StackInvariants.converged(state))
        .hasMessageStartingWith("replicasConvergeAfterHeal: db-2 reports converged but its content differs from "
            + "the primary db-1's: table ")
        .hasMessageContaining("primary [k1, k1=v1], replica [k1, errant]");
  }
}

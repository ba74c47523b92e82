package dev.webstack.junit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.database.ReplicationMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;

/**
 * Random schedules of database writes and reads, kills of the primary, failovers, restarts and replication
 * partitions against semi-synchronous clusters: no acknowledged write is ever lost, and the replicas converge
 * whenever no fault is active, and at the end once everything is healed.
 *
 * <p>These run on the real clock: a semi-sync commit that no replica acknowledges waits for the semi-sync timeout
 * on the stack's clock, which a single-threaded chain on a manual clock could never advance. {@link
 * DatabaseSpecs.SemiSync} keeps that timeout at 200 ms. Tries come from {@code webstack.tries}, as for {@link
 * StackProperties}.
 */
class DatabaseProperties {

  @Property
  @WebStackProperty(spec = DatabaseSpecs.SemiSync.class, replicas = 1)
  void semiSync_oneReplica_noAcknowledgedWriteLost_andReplicasConverge(
      @ForAll("schedules") ActionChain<StackState> chain) {
    runAndHeal(chain);
  }

  @Property
  @WebStackProperty(spec = DatabaseSpecs.SemiSync.class, replicas = 2)
  void semiSync_twoReplicas_noAcknowledgedWriteLost_andReplicasConverge(
      @ForAll("schedules") ActionChain<StackState> chain) {
    runAndHeal(chain);
  }

  @Provide
  Arbitrary<ActionChain<StackState>> schedules() {
    return StackActions.databaseChains().withMaxTransformations(16);
  }

  private static void runAndHeal(ActionChain<StackState> chain) {
    StackState state = chain
        .withInvariant("noAcknowledgedWriteLost", StackInvariants.noAcknowledgedWriteLost())
        .withInvariant("replicasConvergeAfterHeal", StackInvariants.replicasConvergeAfterHeal())
        .run();
    assertThat(state.stack().databaseCluster().mode()).isEqualTo(ReplicationMode.SEMI_SYNC);
    state.healDatabase();
    assertThat(state.databaseFaults()).as("faults after healing everything").isEmpty();
    StackInvariants.converged(state);
    StackInvariants.noAcknowledgedWriteLost().accept(state);
  }
}

package dev.webstack.samples;

import dev.webstack.junit.jqwik.StackActions;
import dev.webstack.junit.jqwik.StackInvariants;
import dev.webstack.junit.jqwik.StackState;
import dev.webstack.junit.jqwik.WebStackProperty;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;

/**
 * The property style (jqwik): every try runs a random schedule of requests, kills and restarts against a fresh
 * stack, and the invariants are checked after every step. A failure is shrunk to the shortest schedule that still
 * breaks, and reported with the stack's state and seed.
 */
class FailoverPropertyTest {

  @Property(tries = 10)
  @WebStackProperty(webServers = 3, appServers = 2, manualClock = true) // health checks move only with the clock
  void theStackStaysAvailableWhileAHealthyPathExists(@ForAll("schedules") ActionChain<StackState> chain) {
    chain.withInvariant("availability", StackInvariants.availability())
        .withInvariant("fairness", StackInvariants.roundRobinFairness())
        .run();
  }

  @Provide
  Arbitrary<ActionChain<StackState>> schedules() {
    return StackActions.chains().withMaxTransformations(10);
  }
}

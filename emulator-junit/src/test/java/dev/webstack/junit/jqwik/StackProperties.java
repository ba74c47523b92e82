package dev.webstack.junit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.StackClock;
import dev.webstack.StackSpec;
import dev.webstack.junit.StackNode;
import dev.webstack.junit.TrafficRecorder;
import dev.webstack.junit.jqwik.StackState.Step;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;

/**
 * The project's own property suite: random failure schedules against real stacks, checked by the invariants of
 * {@link StackInvariants}. Tries come from {@code jqwik.tries.default}, which the build sets from the Maven
 * property {@code webstack.tries} (15 by default); raise it for a soak, for example {@code mvn -pl emulator-junit
 * -am verify -Dtest='StackProperties' -Dsurefire.failIfNoSpecifiedTests=false -Dwebstack.tries=10000}.
 */
class StackProperties {

  private static final Set<String> STACKS_SEEN = ConcurrentHashMap.newKeySet();

  // Manual clocks keep health checks from running between steps unless a step advances the clock, so every try
  // is deterministic for its seed.

  @Property
  @WebStackProperty(webServers = 3, appServers = 2, manualClock = true)
  void availableWheneverAHealthyPathExists_andNeverRoutedThroughADeadNode(
      @ForAll("schedules") ActionChain<StackState> chain) {
    chain.withInvariant("availability", StackInvariants.availability())
        .withInvariant("noRoutingToKilledNodes", StackInvariants.noRoutingToKilledNodes())
        .run();
  }

  @Property
  @WebStackProperty(webServers = 3, manualClock = true)
  void roundRobinIsFairAmongRunningWebServers(@ForAll("schedules") ActionChain<StackState> chain) {
    chain.withInvariant("roundRobinFairness", StackInvariants.roundRobinFairness()).run();
  }

  @Property
  @WebStackProperty(preset = dev.webstack.junit.WebStack.Preset.SIMPLE, manualClock = true)
  void simpleStack_everyInvariantHolds(@ForAll("schedules") ActionChain<StackState> chain) {
    chain.withInvariant("all", StackInvariants.all()).run();
  }

  @Provide
  Arbitrary<ActionChain<StackState>> schedules() {
    return StackActions.chains().withMaxTransformations(12);
  }

  @Property
  @WebStackProperty(webServers = 3, manualClock = true)
  void partitionsAndHealthChecks_everyInvariantHolds(@ForAll("partitionSchedules") ActionChain<StackState> chain) {
    chain.withInvariant("all", StackInvariants.all()).run();
  }

  @Provide
  Arbitrary<ActionChain<StackState>> partitionSchedules() {
    List<String> links = StackActions.balancerLinks();
    return StackActions.chains()
        .withAction(1, StackActions.partitionLink(links))
        .withAction(1, StackActions.healLink(links))
        .withAction(1, StackActions.advanceClock())
        .withMaxTransformations(14);
  }

  @Property
  @WebStackProperty(manualClock = true)
  void manualClock_movesExactlyByTheStepsTaken(@ForAll("clockSchedules") ActionChain<StackState> chain) {
    Instant[] start = new Instant[1];
    chain.peek(s -> {
      if (start[0] == null) {
        start[0] = s.stack().clock().instant();
      }
    }).withInvariant("clock", s -> {
      Duration advanced = s.steps().stream().filter(st -> st.kind().equals(StackState.CLOCK))
          .map(st -> Duration.parse(st.description().substring("advance clock ".length())))
          .reduce(Duration.ZERO, Duration::plus);
      assertThat(s.stack().clock().instant()).isEqualTo(start[0].plus(advanced));
    }).run();
  }

  @Provide
  Arbitrary<ActionChain<StackState>> clockSchedules() {
    return StackActions.chains().withAction(2, StackActions.advanceClock()).withMaxTransformations(8);
  }

  @Property
  @WebStackProperty(preset = dev.webstack.junit.WebStack.Preset.SIMPLE)
  void eachTry_getsAFreshStack_seededFromTheSample(@ForAll @StackSeed long seed, EmulatedStack stack,
      StackState state) {
    assertThat(stack.seed()).isEqualTo(seed);
    assertThat(STACKS_SEEN.add(stack.name())).as("a stack of its own: %s", stack.name()).isTrue();
    assertThat(state.stack()).isSameAs(stack).isSameAs(StackState.current().stack());
    assertThat(state.steps()).isEmpty();
    assertThat(stack.nodes()).allMatch(Node::isRunning);
  }

  @Example
  @WebStackProperty(seed = 77)
  void handlesAreInjected(EmulatedStack stack, HttpClient http, StackClock clock, StackSpec spec,
      TrafficRecorder traffic, @StackNode("web-2") Node web2) {
    assertThat(stack.seed()).isEqualTo(77L);
    assertThat(http).isSameAs(stack.httpClient());
    assertThat(clock).isSameAs(stack.clock());
    assertThat(spec).isSameAs(stack.spec());
    assertThat(web2).isSameAs(stack.node("web-2"));
    assertThat(traffic.get("http://www.foobar.com/api/whoami").isSuccess()).isTrue();
  }

  @Example
  @WebStackProperty
  void stepsRecordWhatRanWhenTheyWereTaken(StackState state) {
    state.kill("web-1");
    state.kill("web-1");
    state.request("/");
    state.restart("web-1");
    state.restart("web-1");

    assertThat(state.steps()).extracting(Step::description).containsExactly("kill web-1",
        "kill web-1 (down already)", "GET http://www.foobar.com/ -> 200 via lb-1 > web-2", "restart web-1",
        "restart web-1 (running already)");
    assertThat(state.steps()).extracting(Step::changesTopology).containsExactly(true, false, false, true, false);
    assertThat(state.steps().get(2).runningNodes()).doesNotContain("web-1").contains("web-2", "lb-1");
    assertThat(state.sinceLastTopologyChange()).extracting(Step::description)
        .containsExactly("restart web-1 (running already)");
  }
}

package dev.webstack.junit.jqwik;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import dev.webstack.junit.WebStack;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The invariants hold on a healthy stack and fail, saying why, when the stack (or the model) is wrong. */
class StackInvariantsTest {

  @Test
  @WebStack
  void availability_holdsWhilePathsExist_andWhenNoneDoes(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    state.request("/api/posts");
    assertThatCode(() -> StackInvariants.availability().accept(state)).doesNotThrowAnyException();

    state.kill("app-1");
    state.request("/api/posts"); // 502 from the web server: no application server, so no healthy path
    assertThatCode(() -> StackInvariants.all().accept(state)).doesNotThrowAnyException();
  }

  @Test
  @WebStack
  void availability_failsWhenTheModelSeesAPathTheStackDidNotServe(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    state.kill("lb-1");
    state.request("/");

    assertThatThrownBy(() -> StackInvariants.availability((s, step) -> Optional.of(List.of("lb-1", "web-1")))
        .accept(state))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("availability: GET http://www.foobar.com/ -> 502 although the healthy path lb-1 > "
            + "web-1 existed (running: [app-1, db-1, web-1, web-2])")
        .hasMessageContaining("#1 kill lb-1");
  }

  @Test
  @WebStack
  void availability_failsOnAnAnswerWithoutAPath(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    state.request("/");

    assertThatThrownBy(() -> StackInvariants.availability((s, step) -> Optional.empty()).accept(state))
        .hasMessageStartingWith("availability: GET http://www.foobar.com/ -> 200 via lb-1 > web-1 although no "
            + "healthy path existed");
  }

  @Test
  @WebStack(webServers = 3)
  void fairness_holdsForRoundRobinAcrossAKill(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    for (int i = 0; i < 4; i++) {
      state.request("/");
    }
    state.kill("web-2");
    for (int i = 0; i < 5; i++) {
      state.request("/");
      assertThatCode(() -> StackInvariants.roundRobinFairness().accept(state)).doesNotThrowAnyException();
      assertThatCode(() -> StackInvariants.noRoutingToKilledNodes().accept(state)).doesNotThrowAnyException();
    }
  }

  @Test
  @WebStack(spec = ImposterSpec.class)
  void fairness_catchesABalancerThatOnlyCallsItselfRoundRobin(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    state.request("/");
    state.request("/");
    state.request("/");

    assertThatThrownBy(() -> StackInvariants.roundRobinFairness().accept(state))
        .hasMessageStartingWith("roundRobinFairness: since step #1 the running web servers served {web-1=3, web-2=0}, "
            + "more than one apart");
  }

  @Test
  @WebStack(algorithm = WebStack.Algorithm.LEAST_CONNECTIONS)
  void fairness_refusesAlgorithmsItDoesNotApplyTo(EmulatedStack stack) {
    StackState state = StackState.of(stack);
    state.request("/");

    assertThatThrownBy(() -> StackInvariants.roundRobinFairness().accept(state))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("balances with leastconn and weights [1, 1]");
  }

  /** Always the first server, under round robin's name. */
  public static final class ImposterSpec implements Supplier<StackSpec> {
    @Override
    public StackSpec get() {
      return StackSpec.distributed().toBuilder().loadBalancer(lb -> lb.algorithm(new BalancingAlgorithm() {
        @Override
        public String name() {
          return "roundrobin";
        }

        @Override
        public Picker newPicker(ServerSet servers) {
          return (key, skip) -> skip.test(0) ? -1 : 0;
        }
      })).build();
    }
  }
}

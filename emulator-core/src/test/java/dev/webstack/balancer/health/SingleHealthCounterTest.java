package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.HealthCheckSpec;
import dev.webstack.Node;
import dev.webstack.StackSpec;
import dev.webstack.balancer.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HAProxy's single health counter (balancing.md §1.2): one counter in [0, rise + fall - 1], UP while it is at
 * least rise; a failure below rise resets it to 0, a success reaching rise jumps to the top. Each step below
 * kills or restarts web-1 and lets exactly one check run on the manual clock.
 */
class SingleHealthCounterTest {

  private static final Duration INTER = Duration.ofMillis(50);

  private EmulatedStack stack;
  private Node web1;
  private Backend lb;

  private List<String> run(HealthCheckSpec checks, String steps) {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(b -> b.healthCheck(checks)).build();
    List<String> statuses = new ArrayList<>();
    try (EmulatedStack s = spec.start()) {
      stack = s;
      web1 = s.node("web-1");
      lb = s.backend("lb-1");
      for (char step : steps.toCharArray()) {
        check(step == '+');
        statuses.add(lb.server("web-1").status());
      }
    }
    return statuses;
  }

  /** Makes web-1 pass or fail its next check, and runs that one check. */
  private void check(boolean pass) {
    if (pass && !web1.isRunning()) {
      web1.restart();
    } else if (!pass && web1.isRunning()) {
      web1.kill();
    }
    stack.clock().advance(INTER);
  }

  private static HealthCheckSpec checks(int rise, int fall) {
    return HealthCheckSpec.builder().inter(INTER).rise(rise).fall(fall).build();
  }

  @Test
  void aSuccessMidwayThroughAFall_restoresFullHealth() {
    assertThat(run(checks(2, 3), "-+--+---"))
        .containsExactly("UP 2/3", "UP", "UP 2/3", "UP 1/3", "UP", "UP 2/3", "UP 1/3", "DOWN");
  }

  @Test
  void aFailureMidwayThroughARise_startsTheRiseAgain() {
    assertThat(run(checks(3, 2), "--+-++-+++"))
        .containsExactly("UP 1/2", "DOWN", "DOWN 1/3", "DOWN", "DOWN 1/3", "DOWN 2/3", "DOWN", "DOWN 1/3",
            "DOWN 2/3", "UP");
  }

  @Test
  void failuresOfAServerAlreadyDown_changeNothing() {
    List<String> statuses = run(checks(2, 2), "-----");

    assertThat(statuses).containsExactly("UP 1/2", "DOWN", "DOWN", "DOWN", "DOWN");
  }

  @Test
  void chkfail_countsFailuresWhileHealthIsAboveZero_andChkdownCountsFalls() {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(b -> b.healthCheck(checks(2, 2))).build();
    try (EmulatedStack s = spec.start()) {
      stack = s;
      web1 = s.node("web-1");
      for (char step : "--+-+---".toCharArray()) {
        check(step == '+');
      }
      // -- : 2 failures, DOWN (1 fall). + : DOWN 1/2. - : failure at health 1, counted. + : DOWN 1/2.
      // --- : first counted (health 1 -> 0), the next two find the server fully down.
      assertThat(s.backend("lb-1").server("web-1").checkFailures()).isEqualTo(4);
      assertThat(s.backend("lb-1").server("web-1").checkDowns()).isEqualTo(1);
    }
  }

  @Test
  void riseAndFallOfOne_flipOnEveryCheck() {
    assertThat(run(checks(1, 1), "-+-+")).containsExactly("DOWN", "UP", "DOWN", "UP");
  }
}

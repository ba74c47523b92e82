package dev.webstack.balancer;

import static dev.webstack.balancer.Fixtures.servers;
import static dev.webstack.balancer.Fixtures.skipping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Weighted random and power of two choices. */
class RandomChoiceTest {

  private static int[] picks(BalancingAlgorithm algorithm, ServerSet servers, int n) {
    return Fixtures.counts(algorithm.newPicker(servers), servers.size(), n);
  }

  private static String firstPicks(Picker picker, int n) {
    StringBuilder picks = new StringBuilder();
    for (int i = 0; i < n; i++) {
      picks.append(picker.pick(0, Picker.SKIP_NONE));
    }
    return picks.toString();
  }

  @Test
  void random_sameSeed_replaysTheSameSequence() {
    ServerSet servers = servers(1, 2, 3, 4);

    String first = firstPicks(BalancingAlgorithm.random(42).newPicker(servers), 500);
    String again = firstPicks(BalancingAlgorithm.random(42).newPicker(servers), 500);
    String other = firstPicks(BalancingAlgorithm.random(43).newPicker(servers), 500);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void random_defaultSeed_everyPickerReplays() {
    ServerSet servers = servers(1, 1, 1);

    assertThat(firstPicks(BalancingAlgorithm.random().newPicker(servers), 200))
        .isEqualTo(firstPicks(BalancingAlgorithm.random(BalancingAlgorithm.DEFAULT_SEED).newPicker(servers), 200));
  }

  @Test
  void random_weights_giveProportionalShares() {
    ServerSet servers = servers(1, 2, 3, 4);

    int[] counts = picks(BalancingAlgorithm.random(), servers, 100_000);

    for (int id = 0; id < 4; id++) {
      assertThat(counts[id] / 100_000.0).isCloseTo((id + 1) / 10.0, within(0.01));
    }
  }

  @Test
  void random_skippedServer_isNeverDrawn() {
    ServerSet servers = servers(200, 1);
    Picker picker = BalancingAlgorithm.random().newPicker(servers);

    // Almost every draw hits the skipped heavy server: after 20 draws the picker draws among the others only.
    for (int i = 0; i < 200; i++) {
      assertThat(picker.pick(0, skipping(0))).isEqualTo(1);
    }
  }

  @Test
  void powerOfTwoChoices_oneServerLoaded_sendsEverythingToTheOther() {
    ServerSet servers = servers(1, 1);
    for (int i = 0; i < 5; i++) {
      servers.started(0);
    }

    assertThat(picks(BalancingAlgorithm.powerOfTwoChoices(), servers, 100)).containsExactly(0, 100);
  }

  @Test
  void powerOfTwoChoices_comparesLoadPerWeight() {
    ServerSet servers = servers(4, 1);
    for (int i = 0; i < 3; i++) {
      servers.started(0); // 3 ÷ 4
    }
    servers.started(1); // 1 ÷ 1

    assertThat(picks(BalancingAlgorithm.powerOfTwoChoices(), servers, 100)).containsExactly(100, 0);
  }

  @Test
  void powerOfTwoChoices_equalLoads_keepsTheSecondDraw() {
    // Two servers: the two distinct draws are always {a, b}, and with equal loads the second one wins (nginx's
    // and HAProxy's tie rule), so a gets picked when b was drawn first: 1 time in 4 with weights 3 and 1.
    ServerSet servers = servers(3, 1);

    int[] counts = picks(BalancingAlgorithm.powerOfTwoChoices(), servers, 20_000);

    assertThat(counts[0] / 20_000.0).isCloseTo(0.25, within(0.015));
  }

  @Test
  void powerOfTwoChoices_singleEligibleServer_isReturned() {
    ServerSet servers = servers(1, 1, 1);
    servers.markDown(2);

    assertThat(BalancingAlgorithm.powerOfTwoChoices().newPicker(servers).pick(0, skipping(0))).isEqualTo(1);
  }

  @Test
  void powerOfTwoChoices_requestsThatStay_spreadFarMoreEvenlyThanRandom() {
    // Balancing.md §5.3 (n = 10, m = 1000): random max/mean ≈ 1.148, two choices ≈ 1.012.
    double random = maxOverMean(BalancingAlgorithm.random(), 10, 1000);
    double two = maxOverMean(BalancingAlgorithm.powerOfTwoChoices(), 10, 1000);

    assertThat(two).isLessThan(1.05);
    assertThat(random).isGreaterThan(two);
  }

  private static double maxOverMean(BalancingAlgorithm algorithm, int n, int requests) {
    int[] weights = new int[n];
    Arrays.fill(weights, 1);
    ServerSet servers = servers(weights);
    Picker picker = algorithm.newPicker(servers);
    for (int i = 0; i < requests; i++) {
      servers.started(picker.pick(0, Picker.SKIP_NONE));
    }
    int max = 0;
    for (int id = 0; id < n; id++) {
      max = Math.max(max, servers.inFlight(id));
    }
    return max / (requests / (double) n);
  }
}

package dev.webstack.balancer;

import static dev.webstack.balancer.Fixtures.servers;
import static dev.webstack.balancer.Fixtures.skipping;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** HAProxy's first: lowest id available, weights ignored. */
class FirstAvailableTest {

  private final ServerSet servers = servers(1, 256, 1);
  private final Picker picker = BalancingAlgorithm.first().newPicker(servers);

  @Test
  void pick_allUp_alwaysTakesTheFirstWhateverTheWeights() {
    assertThat(Fixtures.sequence(picker, servers, 5)).isEqualTo("a a a a a");
  }

  @Test
  void pick_firstDownOrSkipped_takesTheNextLowestId() {
    servers.markDown(0);

    assertThat(picker.pick(0, Picker.SKIP_NONE)).isEqualTo(1);
    assertThat(picker.pick(0, skipping(1))).isEqualTo(2);
    assertThat(picker.pick(0, skipping(1, 2))).isEqualTo(-1);
  }

  @Test
  void pick_firstBackUp_takesItAgain() {
    servers.markDown(0);
    picker.pick(0, Picker.SKIP_NONE);
    servers.markUp(0);

    assertThat(picker.pick(0, Picker.SKIP_NONE)).isZero();
  }
}

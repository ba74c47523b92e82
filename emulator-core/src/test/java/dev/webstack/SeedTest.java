package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.balancer.BalancingAlgorithm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One seed per stack replays its random choices; without one, each stack draws and shows its own. */
class SeedTest {

  private static List<String> randomBalancing(StackSpec spec) {
    try (EmulatedStack stack = spec.start()) {
      List<String> webs = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        webs.add(RequestPath.of(Http.get(stack.httpClient(), "http://www.foobar.com/")).hops().get(1));
      }
      return webs;
    }
  }

  @Test
  void sameSeed_replaysTheRandomAlgorithmsPicks() {
    StackSpec spec = StackSpec.distributed().toBuilder().webServers(4)
        .loadBalancer(lb -> lb.algorithm(BalancingAlgorithm.random())).seed(1234).build();
    List<String> first = randomBalancing(spec);
    assertThat(randomBalancing(spec)).isEqualTo(first);
    assertThat(randomBalancing(spec.toBuilder().seed(4321).build())).isNotEqualTo(first);
  }

  @Test
  void unsetSeed_isDrawnPerStackAndShown() {
    StackSpec spec = StackSpec.distributed();
    assertThat(spec.seed()).isEmpty();
    try (EmulatedStack a = spec.start(); EmulatedStack b = spec.start()) {
      assertThat(a.seed()).isNotEqualTo(b.seed());
      assertThat(a.describe()).contains("seed " + a.seed());
      assertThat(a.dump()).contains("seed(" + a.seed() + "L)");
    }
  }

  @Test
  void setSeed_isKeptByToBuilder() {
    StackSpec spec = StackSpec.distributed().toBuilder().seed(77).manualClock().build();
    assertThat(spec.toBuilder().build().seed()).hasValue(77);
    assertThat(spec.toBuilder().build().manualClock()).isTrue();
    try (EmulatedStack stack = spec.start()) {
      assertThat(stack.seed()).isEqualTo(77);
      assertThat(stack.clock().isManual()).isTrue();
    }
  }
}

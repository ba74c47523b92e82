package dev.webstack.balancer;

import static dev.webstack.balancer.Fixtures.counts;
import static dev.webstack.balancer.Fixtures.repeat;
import static dev.webstack.balancer.Fixtures.sequence;
import static dev.webstack.balancer.Fixtures.servers;
import static dev.webstack.balancer.Fixtures.skipping;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The three weighted round robins: nginx's smooth one, HAProxy's FWRR and HAProxy's static-rr. */
class WeightedRoundRobinTest {

  static Stream<Arguments> weightedRoundRobins() {
    return Stream.of(
        Arguments.of("nginxRoundRobin", BalancingAlgorithm.nginxRoundRobin()),
        Arguments.of("haproxyRoundRobin", BalancingAlgorithm.haproxyRoundRobin()),
        Arguments.of("staticRoundRobin", BalancingAlgorithm.staticRoundRobin()));
  }

  @Test
  void nginxRoundRobin_weights5_1_1_repeatsAabacaa() {
    ServerSet servers = servers(5, 1, 1);

    String picks = sequence(BalancingAlgorithm.nginxRoundRobin().newPicker(servers), servers, 70);

    assertThat(picks).isEqualTo(repeat("a a b a c a a", 10));
  }

  @Test
  void haproxyRoundRobin_weights5_1_1_repeatsAaabaacAsHaproxy26Does() {
    ServerSet servers = servers(5, 1, 1);

    // 16 cycles of 7: one whole FWRR cycle (Σ 16 × w picks), and the start of the next.
    String picks = sequence(BalancingAlgorithm.haproxyRoundRobin().newPicker(servers), servers, 7 * 17);

    assertThat(picks).isEqualTo(repeat("a a a b a a c", 17));
  }

  @Test
  void staticRoundRobin_weights5_1_1_repeatsAaabaacAsHaproxy26Does() {
    ServerSet servers = servers(5, 1, 1);

    String picks = sequence(BalancingAlgorithm.staticRoundRobin().newPicker(servers), servers, 70);

    assertThat(picks).isEqualTo(repeat("a a a b a a c", 10));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weightedRoundRobins")
  void pick_equalWeights_rotatesAbc(String name, BalancingAlgorithm algorithm) {
    ServerSet servers = servers(3, 3, 3);

    assertThat(sequence(algorithm.newPicker(servers), servers, 30)).isEqualTo(repeat("a b c", 10));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weightedRoundRobins")
  void pick_serverDown_isPassedOverAndRejoinsWhenUp(String name, BalancingAlgorithm algorithm) {
    ServerSet servers = servers(1, 1, 1);
    Picker picker = algorithm.newPicker(servers);
    servers.markDown(1);

    assertThat(sequence(picker, servers, 6)).doesNotContain("b");

    servers.markUp(1);
    assertThat(counts(picker, 3, 30)).containsExactly(10, 10, 10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weightedRoundRobins")
  void pick_serverSkipped_goesToAnotherAndKeepsShares(String name, BalancingAlgorithm algorithm) {
    ServerSet servers = servers(2, 1, 1);
    Picker picker = algorithm.newPicker(servers);

    for (int i = 0; i < 40; i++) {
      assertThat(picker.pick(0, skipping(0))).isIn(1, 2);
    }
    assertThat(picker.pick(0, skipping(0, 1, 2))).isEqualTo(-1);
    int[] afterwards = counts(picker, 3, 16 * 4 * 4);
    assertThat(afterwards[0]).isBetween(2 * afterwards[1] - 2, 2 * afterwards[1] + 2);
  }

  @Test
  void nginxRoundRobin_skippedServer_gainsNoWeightWhileSkipped() {
    ServerSet servers = servers(5, 1, 1);
    Picker picker = BalancingAlgorithm.nginxRoundRobin().newPicker(servers);

    // nginx leaves a tried peer out of the round entirely: b and c share the requests, a's current weight stays 0.
    for (int i = 0; i < 4; i++) {
      picker.pick(0, skipping(0));
    }

    assertThat(sequence(picker, servers, 7)).isEqualTo("a a b a c a a");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weightedRoundRobins")
  void pick_concurrentThreads_keepExactSharesOverWholeCycles(String name, BalancingAlgorithm algorithm)
      throws Exception {
    ServerSet servers = servers(5, 1, 1);
    Picker picker = algorithm.newPicker(servers);
    int threads = 4;
    int picksPerThread = 7 * 16 * 50;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<int[]>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(() -> {
          start.await();
          return counts(picker, 3, picksPerThread);
        });
      }
      List<Future<int[]>> results = new ArrayList<>();
      for (Callable<int[]> task : tasks) {
        results.add(pool.submit(task));
      }
      start.countDown();
      int[] total = new int[3];
      for (Future<int[]> result : results) {
        int[] counts = result.get();
        for (int i = 0; i < 3; i++) {
          total[i] += counts[i];
        }
      }

      int cycles = threads * picksPerThread / 7;
      assertThat(total).containsExactly(5 * cycles, cycles, cycles);
    } finally {
      pool.shutdownNow();
    }
  }
}

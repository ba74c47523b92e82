package dev.webstack.balancer;

import static dev.webstack.balancer.Fixtures.run;
import static dev.webstack.balancer.Fixtures.servers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every algorithm follows its ServerSet while traffic flows: weights, new servers, states, slow start. */
class DynamicChangesTest {

  /** Algorithms that ignore weights by design. */
  private static final Set<String> WEIGHTLESS = Set.of("roundRobin", "first");
  /** Algorithms that follow slow start (HAProxy's dynamic ones, nginx, random choices). */
  private static final Set<String> RAMPING = Set.of("nginxRoundRobin", "haproxyRoundRobin", "leastConnections",
      "random", "powerOfTwoChoices", "consistentHash", "boundedConsistentHash");

  static Stream<Arguments> all() {
    return Fixtures.ALL.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  static Stream<Arguments> weighted() {
    return all().filter(arguments -> !WEIGHTLESS.contains((String) arguments.get()[0]));
  }

  private static double share(int[] counts, int id) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    return counts[id] / (double) total;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weighted")
  void pick_weightChangedWhileRunning_takesEffect(String name, BalancingAlgorithm algorithm) {
    ServerSet servers = servers(10, 10);
    Picker picker = algorithm.newPicker(servers);
    run(picker, servers, 200, 8, 0);

    servers.setWeight(0, 30);
    int[] counts = run(picker, servers, 4000, 8, 200);

    assertThat(share(counts, 0)).isBetween(0.65, 0.85);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void pick_serverAddedWhileRunning_getsItsShare(String name, BalancingAlgorithm algorithm) {
    ServerSet servers = servers(1, 1);
    Picker picker = algorithm.newPicker(servers);
    run(picker, servers, 100, 4, 0);

    int added = servers.add("c", 1);
    if (name.equals("first")) {
      servers.markDown(0);
      servers.markDown(1);
    }
    int[] counts = run(picker, servers, 1500, 4, 100);

    assertThat(share(counts, added)).isGreaterThan(name.equals("first") ? 0.99 : 0.2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void pick_serverDownWhileRunning_getsNothingUntilBackUp(String name, BalancingAlgorithm algorithm) {
    ServerSet servers = servers(1, 1, 1);
    Picker picker = algorithm.newPicker(servers);
    run(picker, servers, 100, 4, 0);

    servers.markDown(0);
    int[] whileDown = run(picker, servers, 600, 4, 100);
    servers.markUp(0);
    int[] afterwards = run(picker, servers, 600, 4, 700);

    assertThat(whileDown[0]).isZero();
    assertThat(afterwards[0]).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void pick_noServerLeft_returnsMinusOne(String name, BalancingAlgorithm algorithm) {
    ServerSet empty = new ServerSet();
    ServerSet gone = servers(1, 2);
    Picker picker = algorithm.newPicker(gone);
    picker.pick(Fixtures.key(1), Picker.SKIP_NONE);
    gone.markDown(0);
    gone.remove(1);

    assertThat(algorithm.newPicker(empty).pick(Fixtures.key(1), Picker.SKIP_NONE)).isEqualTo(-1);
    assertThat(picker.pick(Fixtures.key(1), Picker.SKIP_NONE)).isEqualTo(-1);
    assertThat(picker.pick(0, Picker.SKIP_NONE)).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weighted")
  void pick_slowStart_returningServerShareGrowsWithTheRamp(String name, BalancingAlgorithm algorithm) {
    Fixtures.FakeClock clock = new Fixtures.FakeClock();
    ServerSet servers = servers(clock, 100, 100);
    servers.slowStart(Duration.ofSeconds(100));
    Picker picker = algorithm.newPicker(servers);
    servers.markDown(1);
    run(picker, servers, 50, 4, 0);
    servers.markUp(1);

    double[] shares = new double[3];
    int[] elapsedSeconds = {10, 40, 50};
    for (int step = 0; step < 3; step++) {
      clock.advanceMillis(elapsedSeconds[step] * 1000L);
      shares[step] = share(run(picker, servers, 2400, 8, 3000 * step), 1);
    }

    if (RAMPING.contains(name)) {
      // Effective weights 10, 50, 100 against 100: shares about 0.09, 0.33, 0.5.
      assertThat(shares[0]).isLessThan(0.2);
      assertThat(shares[1]).isBetween(shares[0], 0.42);
      assertThat(shares[2]).isGreaterThan(0.4);
    } else {
      // HAProxy's static algorithms and Envoy's Maglev do not ramp: full share at once.
      assertThat(shares[0]).isGreaterThan(0.4);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void pick_concurrentPicksWhileServersChange_onlyEverReturnEligibleServers(String name,
      BalancingAlgorithm algorithm) throws Exception {
    ServerSet servers = servers(3, 1, 2, 1, 5);
    servers.remove(3);
    Picker picker = algorithm.newPicker(servers);
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> pickers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        pickers.add(pool.submit(() -> {
          start.await();
          int bad = 0;
          for (int i = 0; i < 2000; i++) {
            int id = picker.pick(Fixtures.key(thread * 2000 + i), skipped -> skipped == 4);
            if (id == 3 || id == 4 || id < -1 || id >= 5) {
              bad++;
            } else if (id >= 0) {
              servers.started(id);
              servers.finished(id);
            }
          }
          return bad;
        }));
      }
      start.countDown();
      for (int i = 0; !done.get() && i < 2000; i++) {
        servers.markDown(i % 3);
        servers.setWeight(2, 1 + i % 7);
        servers.markUp(i % 3);
        done.set(pickers.stream().allMatch(Future::isDone));
      }
      for (Future<Integer> result : pickers) {
        assertThat(result.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void pick_steadyState_allocatesNothing(String name, BalancingAlgorithm algorithm) {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean meter = (com.sun.management.ThreadMXBean) threads;
    assumeTrue(meter.isThreadAllocatedMemorySupported(), "needs HotSpot's allocation counter");
    ServerSet servers = servers(3, 1, 2, 5);
    Picker picker = algorithm.newPicker(servers);
    long[] keys = new long[1024];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Fixtures.key(i);
    }
    int sink = drive(picker, servers, keys, 20_000);
    long thread = Thread.currentThread().getId();

    long before = meter.getThreadAllocatedBytes(thread);
    sink += drive(picker, servers, keys, 20_000);
    long allocated = meter.getThreadAllocatedBytes(thread) - before;

    assertThat(sink).isNotNegative();
    assertThat(allocated).as("bytes allocated by 20,000 picks").isLessThan(1024);
  }

  private static int drive(Picker picker, ServerSet servers, long[] keys, int picks) {
    int sum = 0;
    for (int i = 0; i < picks; i++) {
      int id = picker.pick(keys[i & (keys.length - 1)], Picker.SKIP_NONE);
      servers.started(id);
      servers.finished(id);
      sum += id;
    }
    return sum;
  }
}

package dev.webstack.balancer;

import static dev.webstack.balancer.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties every algorithm, or every algorithm of a family, must keep for any server set. */
class AlgorithmProperties {

  enum State { UP, DOWN, REMOVED, DRAINED }

  record Server(int weight, State state, boolean skipped) {}

  @Provide
  Arbitrary<String> algorithms() {
    return Arbitraries.of(List.copyOf(Fixtures.ALL.keySet()));
  }

  @Provide
  Arbitrary<List<Server>> serverSets() {
    Arbitrary<Server> server = Combinators.combine(
        Arbitraries.integers().between(1, 256),
        Arbitraries.of(State.class),
        Arbitraries.of(true, false, false)).as(Server::new);
    return server.list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<Integer>> weightSets() {
    return Arbitraries.integers().between(1, 48).list().ofMinSize(1).ofMaxSize(7);
  }

  @Property(tries = 300)
  void pick_anyAlgorithm_neverReturnsAServerThatIsDownRemovedDrainedOrSkipped(
      @ForAll("algorithms") String algorithm, @ForAll("serverSets") List<Server> specs,
      @ForAll @Size(max = 30) List<Long> keys) {
    ServerSet servers = new ServerSet();
    for (int id = 0; id < specs.size(); id++) {
      Server spec = specs.get(id);
      servers.add(Fixtures.name(id), spec.state == State.DRAINED ? 0 : spec.weight);
    }
    Picker picker = Fixtures.ALL.get(algorithm).newPicker(servers);
    picker.pick(1, Picker.SKIP_NONE); // build tables before the states change, to check they follow
    for (int id = 0; id < specs.size(); id++) {
      switch (specs.get(id).state) {
        case DOWN -> servers.markDown(id);
        case REMOVED -> servers.remove(id);
        default -> { }
      }
    }
    IntPredicate skip = id -> specs.get(id).skipped;
    boolean anyEligible = specs.stream().anyMatch(s -> s.state == State.UP && !s.skipped);
    List<Long> requests = new ArrayList<>(keys);
    requests.add(0L);

    for (long key : requests) {
      int id = picker.pick(key, skip);

      if (!anyEligible) {
        assertThat(id).isEqualTo(-1);
      } else {
        assertThat(id).isBetween(0, specs.size() - 1);
        assertThat(specs.get(id).state).isEqualTo(State.UP);
        assertThat(specs.get(id).skipped).isFalse();
        servers.started(id);
      }
    }
  }

  @Property(tries = 200)
  void nginxAndStaticRoundRobin_everyCycleOfSumOfWeightsPicks_givesEachServerExactlyItsWeight(
      @ForAll("weightSets") List<Integer> weights, @ForAll boolean nginx) {
    ServerSet servers = Fixtures.servers(weights.stream().mapToInt(Integer::intValue).toArray());
    BalancingAlgorithm algorithm = nginx ? BalancingAlgorithm.nginxRoundRobin() : BalancingAlgorithm.staticRoundRobin();
    Picker picker = algorithm.newPicker(servers);
    int cycle = weights.stream().mapToInt(Integer::intValue).sum();

    for (int round = 0; round < 3; round++) {
      assertThat(Fixtures.counts(picker, weights.size(), cycle)).containsExactly(
          weights.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /**
   * HAProxy's FWRR is not exact per cycle (see {@link HaproxyConformanceTest}): a server can lose one pick per
   * cycle of Σ(16 × w) picks. What holds, as on the real HAProxy, is that no server ever strays more than that
   * loss plus 3 picks from its exact share.
   */
  @Property(tries = 100)
  void haproxyRoundRobin_anyPrefix_staysWithinOnePickPerCyclePlus3OfTheExactShare(
      @ForAll("weightSets") List<Integer> weights) {
    ServerSet servers = Fixtures.servers(weights.stream().mapToInt(Integer::intValue).toArray());
    Picker picker = BalancingAlgorithm.haproxyRoundRobin().newPicker(servers);
    double total = weights.stream().mapToInt(Integer::intValue).sum();
    long[] counts = new long[weights.size()];
    long picks = (long) (16 * total * 4);

    for (long t = 1; t <= picks; t++) {
      counts[picker.pick(0, Picker.SKIP_NONE)]++;
      for (int id = 0; id < counts.length; id++) {
        double exact = t * weights.get(id) / total;
        assertThat(Math.abs(counts[id] - exact)).isLessThanOrEqualTo(t / (16 * total) + 3);
      }
    }
  }

  @Property(tries = 100)
  void consistentHash_serverRemovedOrDown_movesOnlyTheKeysThatWereOnIt(
      @ForAll @Size(min = 2, max = 8) List<@IntRange(min = 1, max = 32) Integer> weights,
      @ForAll @IntRange(min = 0, max = 7) int gone, @ForAll boolean removed,
      @ForAll("pointsPerWeight") int pointsPerWeight) {
    int victim = gone % weights.size();
    ServerSet servers = Fixtures.servers(weights.stream().mapToInt(Integer::intValue).toArray());
    Picker picker = BalancingAlgorithm.consistentHash(HashKey.sourceIp(), pointsPerWeight).newPicker(servers);
    int[] before = new int[300];
    for (int i = 0; i < before.length; i++) {
      before[i] = picker.pick(key(i), Picker.SKIP_NONE);
    }

    if (removed) {
      servers.remove(victim);
    } else {
      servers.markDown(victim);
    }

    for (int i = 0; i < before.length; i++) {
      int after = picker.pick(key(i), Picker.SKIP_NONE);
      if (before[i] == victim) {
        assertThat(after).isNotEqualTo(victim).isNotNegative();
      } else {
        assertThat(after).as("key %s stays on server %s", i, before[i]).isEqualTo(before[i]);
      }
    }
  }

  @Provide
  Arbitrary<Integer> pointsPerWeight() {
    return Arbitraries.of(1, 16, 40, 160);
  }

  @Provide
  Arbitrary<Integer> primes() {
    return Arbitraries.of(2003, 4001, 10_007, 65_537);
  }

  @Property(tries = 60)
  void maglev_tableAbove100EntriesPerServer_givesEachServerItsWeightShareWithin1Percent(
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 256) Integer> weights,
      @ForAll("primes") int tableSize) {
    int size = Math.max(tableSize, nextPrimeAbove(100 * weights.size()));
    ServerSet servers = Fixtures.servers(weights.stream().mapToInt(Integer::intValue).toArray());
    int[] table = MaglevTable.build(Weights.read(servers, false), servers, size);
    int[] entries = new int[weights.size()];
    for (int id : table) {
      entries[id]++;
    }
    double total = weights.stream().mapToInt(Integer::intValue).sum();

    for (int id = 0; id < entries.length; id++) {
      double share = entries[id] / (double) size;
      double weightShare = weights.get(id) / total;
      assertThat(entries[id]).isPositive();
      assertThat(Math.abs(share - weightShare)).as("server %s", id).isLessThanOrEqualTo(0.01 * weightShare + 1.0 / size);
    }
  }

  private static int nextPrimeAbove(int n) {
    int candidate = n + 1;
    while (!Hashing.isPrime(candidate)) {
      candidate++;
    }
    return candidate;
  }

  @Property(tries = 100)
  void slowStart_serverMarkedUp_rampsFromOneToItsFullWeightAcrossTheDuration(
      @ForAll @IntRange(min = 1, max = 64) int steady, @ForAll @IntRange(min = 2, max = 256) int returning,
      @ForAll @IntRange(min = 0, max = 120) int percentElapsed) {
    Fixtures.FakeClock clock = new Fixtures.FakeClock();
    ServerSet servers = Fixtures.servers(clock, steady, returning);
    servers.slowStart(Duration.ofSeconds(100));
    Picker picker = BalancingAlgorithm.nginxRoundRobin().newPicker(servers);
    servers.markDown(1);
    picker.pick(0, Picker.SKIP_NONE);
    servers.markUp(1);

    clock.advanceMillis(percentElapsed * 1000L);
    int expected = percentElapsed >= 100 ? returning : Math.max(1, (returning * percentElapsed + 99) / 100);

    // nginx's smooth round robin gives exactly the effective weight per cycle, so the cycle shows the ramp.
    int[] counts = Fixtures.counts(picker, 2, steady + expected);
    assertThat(counts[1]).isBetween(expected - 1, expected + 1);
    int[] nextCycle = Fixtures.counts(picker, 2, (steady + expected) * 4);
    assertThat(nextCycle[1]).isBetween(4 * expected - 1, 4 * expected + 1);
  }
}

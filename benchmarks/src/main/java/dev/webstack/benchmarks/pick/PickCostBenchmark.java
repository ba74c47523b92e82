package dev.webstack.benchmarks.pick;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.HashKey;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one {@link Picker#pick} for each of our balancing algorithms, with 2, 10, 100 and 1,000 servers of weight
 * 1, all up, on one thread ({@link #pick}) and on two threads sharing the picker ({@link #pick2}). The peers'
 * figures come from {@code PeerPickCostBenchmark} in benchmarks-peers/, run with the same settings by
 * benchmarks/pick-cost.sh, which prints both side by side (PICK-COST.md).
 *
 * <p>What is inside the measured time: the pick only, with {@link Picker#SKIP_NONE}, returning the chosen id
 * (JMH consumes it). One picker per trial ({@code Scope.Benchmark}), built and warmed in setup, so lazily built
 * tables (maps, rings, Maglev) exist before measuring; nothing changes the server set while measuring.
 *
 * <ul>
 *   <li>Hashing algorithms get a key from 1024 precomputed {@link HashKey#hash} values of client addresses
 *       {@code 192.168.x.y}, indexed by a per-thread counter; hashing the request attribute is not measured
 *       (the peers that hash, Dubbo's consistent hash, do hash their argument inside their pick).
 *   <li>Load-aware algorithms ({@code leastconn}, {@code random(2)}, the bounded-load hashes) see a constant
 *       in-flight count of 0 on every server: the benchmark never calls {@link ServerSet#started} or {@link
 *       ServerSet#finished}, as the peers' in-flight counters (Dubbo's RpcStatus) stay at 0 too. So leastconn
 *       rotates among servers tied at 0, P2C always keeps its second draw, and a bound always admits.
 *   <li>Two threads ({@link #pick2}) share the picker and its counters, as two request threads of one balancer
 *       would; on a 2-core machine they use both cores.
 * </ul>
 *
 * <p>Each fork runs one algorithm, so the {@code Picker} call site stays monomorphic as in a balancer with one
 * algorithm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class PickCostBenchmark {

  /** Names as {@link #algorithm(String)} spells them; see PICK-COST.md for the job each is compared on. */
  @Param({"roundrobin", "swrr", "fwrr", "static-rr", "leastconn", "random", "p2c", "first",
      "hash", "consistent", "maglev", "hash-bounded", "consistent-bounded", "maglev-bounded"})
  public String algorithm;

  @Param({"2", "10", "100", "1000"})
  public int servers;

  static final int KEY_MASK = 1023;

  /** Precomputed hash keys of client addresses, the same addresses the peers' hashing benchmarks use. */
  static final long[] KEYS = new long[KEY_MASK + 1];

  static {
    for (int i = 0; i < KEYS.length; i++) {
      KEYS[i] = HashKey.hash("192.168." + (i >> 8) + "." + (i & 255));
    }
  }

  Picker picker;

  /** Per-thread request counter: the index of the next precomputed key. */
  @State(Scope.Thread)
  public static class Counter {
    int next;
  }

  /** The algorithm a parameter value names; bounded-load variants use HAProxy's example factor of 150 %. */
  static BalancingAlgorithm algorithm(String name) {
    HashKey source = HashKey.sourceIp();
    switch (name) {
      case "roundrobin": return BalancingAlgorithm.roundRobin();
      case "swrr": return BalancingAlgorithm.nginxRoundRobin();
      case "fwrr": return BalancingAlgorithm.haproxyRoundRobin();
      case "static-rr": return BalancingAlgorithm.staticRoundRobin();
      case "leastconn": return BalancingAlgorithm.leastConnections();
      case "random": return BalancingAlgorithm.random(BalancingAlgorithm.DEFAULT_SEED);
      case "p2c": return BalancingAlgorithm.powerOfTwoChoices(BalancingAlgorithm.DEFAULT_SEED);
      case "first": return BalancingAlgorithm.first();
      case "hash": return BalancingAlgorithm.hash(source);
      case "consistent": return BalancingAlgorithm.consistentHash(source);
      case "maglev": return BalancingAlgorithm.maglev(source);
      case "hash-bounded": return BalancingAlgorithm.boundedLoad(BalancingAlgorithm.hash(source), 150);
      case "consistent-bounded":
        return BalancingAlgorithm.boundedLoad(BalancingAlgorithm.consistentHash(source), 150);
      case "maglev-bounded": return BalancingAlgorithm.boundedLoad(BalancingAlgorithm.maglev(source), 150);
      default: throw new IllegalArgumentException("unknown algorithm " + name);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    ServerSet set = new ServerSet();
    for (int i = 0; i < servers; i++) {
      set.add("10.0." + (i >> 8) + "." + (i & 255), 1);
    }
    picker = algorithm(algorithm).newPicker(set);
    // Build lazy tables and check the picker works: every pick returns a server, and all but "first" spread.
    BitSet seen = new BitSet(servers);
    for (int i = 0; i < 4 * servers + 1024; i++) {
      int id = picker.pick(KEYS[i & KEY_MASK], Picker.SKIP_NONE);
      if (id < 0 || id >= servers) {
        throw new IllegalStateException(algorithm + " picked " + id + " of " + servers);
      }
      seen.set(id);
    }
    if (!algorithm.equals("first") && servers <= 100 && seen.cardinality() < servers / 2) {
      throw new IllegalStateException(algorithm + " reached only " + seen.cardinality() + " of " + servers);
    }
  }

  @Benchmark
  @Threads(1)
  public int pick(Counter c) {
    return picker.pick(KEYS[c.next++ & KEY_MASK], Picker.SKIP_NONE);
  }

  @Benchmark
  @Threads(2)
  public int pick2(Counter c) {
    return picker.pick(KEYS[c.next++ & KEY_MASK], Picker.SKIP_NONE);
  }
}

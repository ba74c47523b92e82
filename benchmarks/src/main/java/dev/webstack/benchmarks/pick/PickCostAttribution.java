package dev.webstack.benchmarks.pick;

import dev.webstack.balancer.HashKey;
import dev.webstack.balancer.ServerSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Where the time of the two picks that trail a peer in PICK-COST.md goes: copies of the hot paths of {@code
 * RoundRobin} and {@code WeightedRandom} (as of this writing; the library's classes are package-private), each
 * with one part removed or swapped, next to the peers' equivalents written out. Diagnostic only: not part of the
 * side-by-side table, and it drifts if the library's pickers change.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PickCostAttribution -f 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class PickCostAttribution {

  @Param({"10", "1000"})
  public int servers;

  ServerSet set;
  /** Cumulative weights, as {@code Weights.ends}: all weights 1, so ends[i] = i + 1. */
  long[] ends;
  Object[] hosts;
  final AtomicInteger next = new AtomicInteger();
  final AtomicLong state = new AtomicLong(42);

  @Setup
  public void setUp() {
    set = new ServerSet();
    ends = new long[servers];
    hosts = new Object[servers];
    for (int i = 0; i < servers; i++) {
      set.add("s" + i, 1);
      ends[i] = i + 1;
      hosts[i] = "s" + i;
    }
  }

  /** The client addresses PickCostBenchmark's keys are hashed from. */
  static final String[] ADDRESSES = new String[PickCostBenchmark.KEY_MASK + 1];

  static {
    for (int i = 0; i < ADDRESSES.length; i++) {
      ADDRESSES[i] = "192.168." + (i >> 8) + "." + (i & 255);
    }
  }

  int key;

  /** What PickCostBenchmark leaves out of the hashing picks: hashing the request's attribute (here an address). */
  @Benchmark
  public long hashKeyOfAddress() {
    return HashKey.hash(ADDRESSES[key++ & PickCostBenchmark.KEY_MASK]);
  }

  // ---- round robin ------------------------------------------------------------------------------------------

  /** RoundRobin's pick: compare-and-set on the position, {@code ServerSet.isAvailable} on the candidate. */
  @Benchmark
  public int rrAsPicker() {
    int n = set.size();
    while (true) {
      int observed = next.get();
      int candidate = observed < n ? observed : 0;
      int found = -1;
      for (int i = 0; i < n; i++) {
        if (set.isAvailable(candidate)) {
          found = candidate;
          break;
        }
        candidate = candidate + 1 == n ? 0 : candidate + 1;
      }
      if (found < 0) {
        return -1;
      }
      if (next.compareAndSet(observed, found + 1 == n ? 0 : found + 1)) {
        return found;
      }
    }
  }

  /** The same without the availability check: what is left is the counter. */
  @Benchmark
  public int rrWithoutAvailability() {
    int n = set.size();
    while (true) {
      int observed = next.get();
      int found = observed < n ? observed : 0;
      if (next.compareAndSet(observed, found + 1 == n ? 0 : found + 1)) {
        return found;
      }
    }
  }

  /** Undertow's RoundRobinHostSelector (then the host it indexes). */
  @Benchmark
  public Object rrUndertow() {
    return hosts[next.incrementAndGet() % hosts.length];
  }

  /** {@link #rrAsPicker} on two threads sharing the position. */
  @Benchmark
  @Threads(2)
  public int rrAsPicker2() {
    return rrAsPicker();
  }

  /** {@link #rrWithoutAvailability} on two threads. */
  @Benchmark
  @Threads(2)
  public int rrWithoutAvailability2() {
    return rrWithoutAvailability();
  }

  /** {@link #rrUndertow} on two threads. */
  @Benchmark
  @Threads(2)
  public Object rrUndertow2() {
    return rrUndertow();
  }

  // ---- weighted random --------------------------------------------------------------------------------------

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** {@code Weights.idAt}: the server owning point x, by binary search over cumulative weights. */
  private int idAt(long x) {
    long[] e = ends;
    int lo = 0;
    int hi = e.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (e[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** WeightedRandom's draw: SplitMix64 on a shared AtomicLong, remainderUnsigned, binary search. */
  @Benchmark
  public int randomAsPicker() {
    long total = ends[ends.length - 1];
    long z = mix(state.addAndGet(0x9e3779b97f4a7c15L));
    return idAt(Long.remainderUnsigned(z, total));
  }

  /** The same without the binary search (equal weights: the point is the id). */
  @Benchmark
  public int randomWithoutSearch() {
    long total = ends[ends.length - 1];
    long z = mix(state.addAndGet(0x9e3779b97f4a7c15L));
    return (int) Long.remainderUnsigned(z, total);
  }

  /** The binary search with ThreadLocalRandom instead of the shared generator. */
  @Benchmark
  public int randomThreadLocalWithSearch() {
    return idAt(ThreadLocalRandom.current().nextLong(ends[ends.length - 1]));
  }

  /** Ribbon's RandomRule core: ThreadLocalRandom.nextInt(n), no weights. */
  @Benchmark
  public Object randomRibbon() {
    return hosts[ThreadLocalRandom.current().nextInt(hosts.length)];
  }
}

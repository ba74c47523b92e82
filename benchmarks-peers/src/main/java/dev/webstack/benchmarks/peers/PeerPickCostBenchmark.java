package dev.webstack.benchmarks.peers;

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
 * Cost of one pick by other Java load balancers, for the side-by-side table with benchmarks/'s {@code
 * PickCostBenchmark} (same servers, same thread counts, same JMH settings; benchmarks/pick-cost.sh runs both).
 *
 * <p>{@code peer} is {@code library-job}: the job (roundrobin, weighted-rr, random, leastconn, hash) says which
 * of our algorithms it is compared with. One picker per trial, shared by the benchmark's threads ({@code
 * Scope.Benchmark}), so two threads contend on its counter as two request threads of one client would. Each
 * fork runs one peer, so the call site stays monomorphic. The picked server is returned (JMH consumes it).
 * See {@link Peers} for how each library is set up and what is and is not inside its pick.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class PeerPickCostBenchmark {

  @Param({"dubbo-weighted-rr", "dubbo-random", "dubbo-leastconn", "dubbo-hash",
      "ribbon-roundrobin", "ribbon-random", "spring-roundrobin", "spring-random",
      "grpc-roundrobin", "undertow-roundrobin"})
  public String peer;

  @Param({"2", "10", "100", "1000"})
  public int servers;

  PeerPicker picker;

  /** Per-thread request counter: the index of the next precomputed key. */
  @State(Scope.Thread)
  public static class Counter {
    int next;
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    picker = Peers.create(peer, servers);
    for (int i = 0; i < 4 * servers + 1024; i++) {
      if (picker.pick(i) == null) {
        throw new IllegalStateException(peer + " picked nothing");
      }
    }
  }

  @Benchmark
  @Threads(1)
  public Object pick(Counter c) {
    return picker.pick(c.next++);
  }

  @Benchmark
  @Threads(2)
  public Object pick2(Counter c) {
    return picker.pick(c.next++);
  }
}

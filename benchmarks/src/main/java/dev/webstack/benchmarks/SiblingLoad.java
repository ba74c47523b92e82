package dev.webstack.benchmarks;

import java.sql.Connection;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Does a busy second core slow a bare H2 writer by itself, whatever the busy thread does? A plain main, not a JMH
 * benchmark: in one JVM, rounds of {@link ReplicationBenchmark#ROWS} autocommit inserts into bare H2 alternate
 * between the other core idle and the other core running a spinner thread, so drifts of the machine fall on both
 * alike. The spinner either only computes in registers ({@code alu}: no memory traffic, so it can only slow the
 * writer through the core or its clock), streams through a 64 MiB array ({@code memory}: cache and memory
 * traffic), or parks 0.3 ms and wakes a parked thread, as the replica's tasks do ({@code wakeups}). Idle, it is
 * parked until a busy round wakes it. Prints the median of the per-pair busy/idle ratios of the writer's wall time.
 *
 * <p>Arguments: rounds (pairs), the spinner's kind, and optionally a block length: with one above 1 the spinner
 * runs for that many rounds in a row (between them too) and then rests as long, for effects slower than a round.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.webstack.benchmarks.SiblingLoad 60 alu</pre>
 */
public final class SiblingLoad {

  private static volatile boolean spin;
  private static volatile long sink;

  private SiblingLoad() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    String kind = args.length > 1 ? args[1] : "alu";
    int block = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    if (!kind.equals("alu") && !kind.equals("memory") && !kind.equals("wakeups")) {
      throw new IllegalArgumentException("the spinner is alu, memory or wakeups, not " + kind);
    }
    if (kind.equals("wakeups")) {
      Thread sleeper = new Thread(SiblingLoad::sleeper, "sibling-sleeper");
      sleeper.setDaemon(true);
      sleeper.start();
    }
    Thread spinner = new Thread(() -> spinner(kind), "sibling-spinner");
    spinner.setDaemon(true);
    spinner.start();
    double[] idle = new double[rounds];
    double[] busy = new double[rounds];
    long warmUpEnd = System.nanoTime() + ReplicationBenchmark.WARM_UP_SECONDS * 1_000_000_000L;
    int warmUp = 0;
    for (int round = 0; round < rounds; ) {
      boolean measuring = warmUp >= 20 && System.nanoTime() >= warmUpEnd;
      if (block == 1) {
        boolean busyFirst = (round + warmUp) % 2 == 0;
        double a = once(busyFirst);
        double b = once(!busyFirst);
        if (measuring) {
          busy[round] = busyFirst ? a : b;
          idle[round] = busyFirst ? b : a;
          round++;
        } else {
          warmUp++;
        }
      } else if (!measuring) {
        once(false);
        warmUp++;
      } else { // blocks: the spinner runs for block rounds (and between them), then rests for block rounds
        boolean busyFirst = (round / block) % 2 == 0;
        double[] first = busyFirst ? busy : idle;
        double[] second = busyFirst ? idle : busy;
        for (int k = 0; k < block && round + k < rounds; k++) {
          sustained = busyFirst;
          first[round + k] = once(busyFirst);
        }
        for (int k = 0; k < block && round + k < rounds; k++) {
          sustained = !busyFirst;
          second[round + k] = once(!busyFirst);
        }
        sustained = false;
        round += block;
      }
    }
    spin = false;
    double[] ratio = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ratio[i] = busy[i] / idle[i];
    }
    System.out.printf(Locale.ROOT, "%s spinner: writer wall median idle %.1f ms, busy %.1f ms, median per-pair ratio"
        + " %.3f (p25 %.3f, p75 %.3f)%n", kind, median(idle), median(busy), median(ratio), quantile(ratio, 0.25),
        quantile(ratio, 0.75));
    StringBuilder pairs = new StringBuilder("  pairs idle/busy:");
    for (int i = 0; i < rounds; i++) {
      pairs.append(String.format(Locale.ROOT, " %.0f/%.0f", idle[i], busy[i]));
    }
    System.out.println(pairs);
  }

  private static double once(boolean busy) throws Exception {
    ReplicationBenchmark.Bare bare = new ReplicationBenchmark.Bare();
    bare.open("");
    Connection c = bare.connection;
    spin = busy;
    if (busy && spinnerThread != null) {
      LockSupport.unpark(spinnerThread);
    }
    long t = System.nanoTime();
    ReplicationBenchmark.insertRows(c);
    double wall = (System.nanoTime() - t) / 1e6;
    spin = sustained;
    bare.close();
    return wall;
  }

  private static volatile Thread spinnerThread;
  /** In block mode: the spinner keeps running between the rounds of a busy block. */
  private static volatile boolean sustained;

  private static void spinner(String kind) {
    spinnerThread = Thread.currentThread();
    long[] array = kind.equals("memory") ? new long[8 << 20] : new long[0];
    long x = 88172645463325252L;
    int i = 0;
    while (true) {
      if (!spin) {
        LockSupport.park(); // truly idle until once() wakes it: no wake-ups of its own
        continue;
      }
      if (kind.equals("wakeups")) { // a thread that sleeps, wakes a sleeping thread, sleeps: as the replica's tasks
        LockSupport.parkNanos(300_000);
        Thread s = sleeperThread;
        if (s != null) {
          LockSupport.unpark(s);
        }
      } else if (array.length == 0) {
        for (int k = 0; k < 10_000; k++) { // xorshift in registers
          x ^= x << 13;
          x ^= x >>> 7;
          x ^= x << 17;
        }
      } else {
        for (int k = 0; k < 10_000; k++) { // a cache line per step, through 64 MiB
          i = (i + 8) & (array.length - 1);
          x += array[i]++;
        }
      }
      sink = x;
    }
  }

  private static volatile Thread sleeperThread;

  private static void sleeper() {
    sleeperThread = Thread.currentThread();
    while (true) {
      LockSupport.park();
      sink++;
    }
  }

  private static double median(double[] xs) {
    return quantile(xs, 0.5);
  }

  private static double quantile(double[] xs, double q) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  }
}

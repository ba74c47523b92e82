package dev.webstack.benchmarks;

import dev.webstack.DatabaseNode;
import dev.webstack.DatabaseSpec;
import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import dev.webstack.database.DatabaseCluster;
import dev.webstack.database.H2Database;
import dev.webstack.database.ReplicationCluster;
import dev.webstack.database.internal.CaptureEngine;
import dev.webstack.internal.EventLog;
import dev.webstack.internal.Links;
import dev.webstack.internal.ManualClock;
import dev.webstack.internal.NodeContext;
import dev.webstack.internal.Randomness;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of replication (issue 4's performance goals).
 *
 * <ul>
 *   <li>{@link #bareH2}: 10,000 single-row autocommit {@code INSERT}s (one {@code PreparedStatement}) into a bare H2
 *       in-memory database in MySQL mode, the baseline.
 *   <li>{@link #primaryWithOneReplica}: the same 10,000 inserts through the emulator's primary ({@code db-1}'s own
 *       data source) with one asynchronous replica attached: every insert goes through the connection wrapper, the
 *       capture trigger, GTID assignment and the binary log, and is shipped to the replica's relay log; the replica
 *       applies on the stack's task pool in parallel. Goal: ≤ 10 % over {@link #bareH2}.
 *   <li>{@link #primaryWithOneReplicaCaughtUp}: the same, plus the wait until the replica has applied all 10,000:
 *       whether one applier keeps up with one writer.
 *   <li>{@link #createPrimaryWithTwoReplicas}: create a primary and two replicas with the schema (H2 databases,
 *       capture triggers, replicas cloned from the primary's script), then drop them. Uses the library's internal
 *       {@code ReplicationCluster} directly, without a stack around it, so that the web tier's Undertow servers are
 *       not in the figure. Goal: &lt; 2 ms warm.
 * </ul>
 *
 * Schema of the inserts: {@code users(id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(200) UNIQUE, name
 * VARCHAR(100), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)} (as in the replication reference's measurements).
 * Each iteration starts from a fresh database, so tables and binary logs do not grow across iterations.
 *
 * <p>Run from the repository root after {@code mvn -q -B -pl benchmarks -am package -DskipTests}:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ReplicationBenchmark -rf json -rff benchmarks/results/replication.json
 * </pre>
 *
 * <p>Forty seconds of warm-up: an invocation of the replicated variants starts and closes a whole stack, so their
 * forks have far more code for the JIT's one C2 thread (on 2 cores) than bare H2's, and H2's hot insert methods
 * were still being compiled after 12 s (their iteration times kept falling through a 12 s warm-up and the
 * measurement after it). Three forks: on a VM another tenant's cache traffic slows every memory-bound loop for
 * seconds at a time, and more forks average it.
 *
 * <p>On a shared machine, load changes between JMH's methods (minutes apart) blur a 10 % difference. {@link #main}
 * runs bare H2, bare H2 on the capture engine's tables, bare H2 committing each insert explicitly with H2's
 * autocommit off (as the primary must, to log first), the replicated primary with its replica's receiver stopped
 * and the replicated primary as above interleaved in one JVM, round after round, and prints per variant the
 * writing thread's CPU and wall time, their median per-round ratios to bare H2 and the writer's wait for a core:
 * the capture engine's cost, the write path's, and what a replica applying at the same time on another core adds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.webstack.benchmarks.ReplicationBenchmark 60
 * </pre>
 *
 * It also prints the ratio of the sums over all rounds. With a second argument it runs one variant per JVM, as
 * JMH's forks do ({@code bare}, {@code replicated}, {@code receiver-stopped} and controls: {@code bare-beside-stack},
 * {@code bare-ballast} with 1 GiB more live memory, {@code bare-after-replicated} warmed up through the
 * replicated stack, {@code capture-engine}, {@code plain-engine}, {@code subclass-engine}; {@code bare-kept} and
 * {@code replicated-kept} keep one database or stack for all rounds, truncating the table between them), and
 * prints every other thread's CPU during the writer's rounds and each round's wall time ({@code
 * -Dreplication.verbose=true}: each round as it ends, with the JVM's uptime, to line up with {@code
 * -XX:+PrintCompilation} or GC logs). Why both: this VM runs at one of two speeds in stretches of seconds, set by
 * the host ({@link SiblingLoad}, {@code benchmarks/results/replication-applier.txt}), so separate JVMs compare the
 * stretches they ran in more than the variants.
 */
@Threads(1)
@Fork(value = 3, jvmArgsAppend = StackBootBenchmark.JBOSS_LOGGING_SLF4J)
@Warmup(iterations = 20, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 2, timeUnit = TimeUnit.SECONDS)
public class ReplicationBenchmark {

  static final int ROWS = 10_000;

  /** Warm-up of {@link #main}'s rounds, at least: the stack's code keeps the JIT's compiler busy about that long. */
  static final int WARM_UP_SECONDS = 40;

  private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);

  static final String SCHEMA = """
      CREATE TABLE users (
        id BIGINT AUTO_INCREMENT PRIMARY KEY,
        email VARCHAR(200) NOT NULL UNIQUE,
        name VARCHAR(100),
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
      );
      """;

  static final String INSERT = "INSERT INTO users(email, name) VALUES (?, ?)";

  private static final AtomicLong SEQUENCE = new AtomicLong();

  static Path schemaFile() throws IOException {
    Path file = Files.createTempFile("replication-benchmark", ".sql");
    Files.writeString(file, SCHEMA);
    file.toFile().deleteOnExit();
    return file;
  }

  static void insertRows(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (int i = 0; i < ROWS; i++) {
        ps.setString(1, "user" + i + "@foobar.com");
        ps.setString(2, "User " + i);
        ps.executeUpdate();
      }
    }
  }

  /**
   * {@link #insertRows} on bare H2 with H2's autocommit off and each insert committed right after it, as the
   * emulator's primary commits (it must log the transaction first): H2's {@code SessionLocal.commit(false)} under
   * the session's lock, what a JDBC {@code COMMIT} runs without the command around it.
   */
  static void insertRowsCommittingEach(Connection c) throws SQLException {
    c.setAutoCommit(false);
    org.h2.engine.SessionLocal session = (org.h2.engine.SessionLocal) ((org.h2.jdbc.JdbcConnection) c).getSession();
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (int i = 0; i < ROWS; i++) {
        ps.setString(1, "user" + i + "@foobar.com");
        ps.setString(2, "User " + i);
        ps.executeUpdate();
        session.lock();
        try {
          session.commit(false);
        } finally {
          session.unlock();
        }
      }
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** A bare H2 database, new for every invocation. */
  @State(Scope.Thread)
  public static class Bare {
    Connection connection;

    @Setup(Level.Invocation)
    public void open() throws SQLException {
      open("");
    }

    void open(String urlSettings) throws SQLException {
      connection = DriverManager.getConnection("jdbc:h2:mem:bench-" + SEQUENCE.incrementAndGet()
          + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" + urlSettings);
      try (Statement s = connection.createStatement()) {
        s.execute(SCHEMA);
      }
    }

    @TearDown(Level.Invocation)
    public void close() throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("SHUTDOWN");
      }
      connection.close();
    }
  }

  /** A stack (one web server, a primary and one replica, real clock), new for every invocation. */
  @State(Scope.Thread)
  public static class Replicated {
    StackSpec spec;
    EmulatedStack stack;
    Connection connection;

    @Setup(Level.Trial)
    public void spec() throws IOException {
      Path schema = schemaFile();
      spec = StackSpec.builder("foobar.com").webServers(1)
          .database(db -> db.schema(schema).replicas(1)).build();
    }

    @Setup(Level.Invocation)
    public void open() throws SQLException {
      stack = spec.start();
      connection = ((DatabaseNode) stack.node("db-1")).dataSource().getConnection();
    }

    @TearDown(Level.Invocation)
    public void close() throws SQLException {
      connection.close();
      stack.close();
    }
  }

  /**
   * Where the replicated insert's time goes, interleaved in one JVM: {@code rounds} (default 60) after at least 20
   * warm-up rounds and {@value #WARM_UP_SECONDS} s (the stack's code keeps the JIT busy that long), each round
   * running every {@link Variant} once in rotating order, so that the machine's changes of speed (on this VM,
   * stretches of seconds at one of two speeds, set by the host) fall on all variants alike. Prints, per variant,
   * the writing thread's CPU time and wall time (p10 and median), the median of the per-round ratios to bare H2,
   * how long the writer waited for a core (Linux's run-queue time of the thread; "n/a" elsewhere), and per round on
   * average the JVM's GC pause time, the writer's time blocked on monitors or parked (JMX thread contention
   * monitoring) and how often it gave up its core by itself (Linux's voluntary context switches): where wall time
   * above CPU time goes.
   *
   * <p>With a second argument, {@code bare}, {@code bare-beside-stack}, {@code bare-ballast}, {@code
   * bare-after-replicated}, {@code capture-engine}, {@code plain-engine}, {@code subclass-engine}, {@code
   * receiver-stopped}, {@code replicated}, {@code bare-kept} or {@code replicated-kept}, runs that variant alone
   * (warm-up as above, then {@code rounds}) and prints one line of medians: one JVM per variant keeps H2's call
   * sites as JMH's forks see them; alternate such JVMs from a shell loop to cancel the machine's drifts.
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.jboss.logging.provider", "slf4j");
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    if (args.length > 1) {
      if (args[1].endsWith("-kept")) {
        kept(args[1], rounds);
      } else {
        alone(args[1], rounds);
      }
      return;
    }
    Replicated replicated = new Replicated();
    replicated.spec();
    Variant[] variants = Variant.values();
    double[][] cpu = new double[variants.length][rounds];
    double[][] wall = new double[variants.length][rounds];
    double[][] runQueue = new double[variants.length][rounds];
    double[][] migrations = new double[variants.length][rounds];
    double[][] gcPauses = new double[variants.length][rounds];
    double[][] blocked = new double[variants.length][rounds];
    double[][] sleeps = new double[variants.length][rounds];
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    boolean contention = mx.isThreadContentionMonitoringSupported();
    if (contention) {
      mx.setThreadContentionMonitoringEnabled(true);
    }
    long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
    for (int round = 0, warmUp = 0; round < rounds; ) {
      boolean measuring = warmedUp(warmUp, warmUpEnd);
      for (int k = 0; k < variants.length; k++) {
        Variant v = variants[Math.floorMod(k + (measuring ? round : warmUp), variants.length)];
        Bare bare = new Bare();
        Connection c = v.open(bare, replicated);
        long q = runQueueNanos();
        long moves = migrations();
        long gc = gcMillis();
        long b = contention ? blockedMillis(mx) : 0;
        long z = voluntarySwitches();
        long u = mx.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        v.insert(c);
        long w = System.nanoTime() - t;
        u = mx.getCurrentThreadCpuTime() - u;
        gc = gcMillis() - gc;
        b = contention ? blockedMillis(mx) - b : -1;
        z = voluntarySwitches() - z;
        q = runQueueNanos() - q;
        moves = migrations() - moves;
        v.close(bare, replicated);
        if (measuring) {
          cpu[v.ordinal()][round] = u / 1e6;
          wall[v.ordinal()][round] = w / 1e6;
          runQueue[v.ordinal()][round] = q / 1e6;
          migrations[v.ordinal()][round] = moves;
          gcPauses[v.ordinal()][round] = gc;
          blocked[v.ordinal()][round] = b;
          sleeps[v.ordinal()][round] = z;
        }
      }
      if (measuring) {
        round++;
      } else {
        warmUp++;
      }
    }
    System.out.printf(java.util.Locale.ROOT, "%d interleaved rounds of %d autocommit inserts (ms; ratio = median"
        + " of per-round ratios to bare H2)%n", rounds, ROWS);
    for (Variant v : variants) {
      int i = v.ordinal();
      double[] cpuRatio = new double[rounds];
      double[] wallRatio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        cpuRatio[r] = cpu[i][r] / cpu[0][r];
        wallRatio[r] = wall[i][r] / wall[0][r];
      }
      System.out.printf(java.util.Locale.ROOT, "%-28s writer CPU p10 %5.1f median %5.1f ratio %.3f | wall p10 %5.1f"
          + " median %5.1f ratio %.3f | waiting for a core %s | moved between cores %s | GC pauses mean %.1f"
          + " | blocked or waiting mean %.1f | went to sleep (voluntary switches) mean %.1f%n", v.label,
          quantile(cpu[i], 0.1), quantile(cpu[i], 0.5), quantile(cpuRatio, 0.5), quantile(wall[i], 0.1),
          quantile(wall[i], 0.5), quantile(wallRatio, 0.5),
          runQueueNanos() < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", quantile(runQueue[i], 0.5)),
          migrations() < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.0f", quantile(migrations[i], 0.5)),
          mean(gcPauses[i]), mean(blocked[i]), mean(sleeps[i]));
    }
    StringBuilder sums = new StringBuilder("ratio of sums over all rounds, writer CPU / wall:");
    for (Variant v : variants) {
      sums.append(String.format(java.util.Locale.ROOT, " %s %.3f / %.3f;", v.label,
          mean(cpu[v.ordinal()]) / mean(cpu[0]), mean(wall[v.ordinal()]) / mean(wall[0])));
    }
    System.out.println(sums);
  }

  /** The variants of {@link #main}'s decomposition, bare H2 first (the ratios' denominator). */
  private enum Variant {
    BARE("bare H2", true),
    CAPTURE_ENGINE("bare H2, capture engine", true),
    EXPLICIT_COMMIT("bare H2, explicit commits", true),
    RECEIVER_STOPPED("replicated, receiver stopped", false),
    REPLICATED("replicated", false);

    final String label;
    /** Inserts into a bare H2 database rather than through a replicated stack's primary. */
    final boolean onBareH2;

    Variant(String label, boolean onBareH2) {
      this.label = label;
      this.onBareH2 = onBareH2;
    }

    void insert(Connection c) throws SQLException {
      if (this == EXPLICIT_COMMIT) {
        insertRowsCommittingEach(c);
      } else {
        insertRows(c);
      }
    }

    /** The connection to insert through: the capture engine's tables capture nothing without a client's sink. */
    Connection open(Bare bare, Replicated replicated) throws SQLException {
      if (onBareH2) {
        bare.open(this == CAPTURE_ENGINE ? CaptureEngine.URL_SETTING : "");
        return bare.connection;
      }
      replicated.open();
      if (this == RECEIVER_STOPPED) {
        replicated.stack.databaseCluster().replicas().get(0).stopReceiver();
      }
      return replicated.connection;
    }

    void close(Bare bare, Replicated replicated) throws SQLException {
      if (onBareH2) {
        bare.close();
      } else {
        replicated.close();
      }
    }
  }

  /** Pause time of every collector so far, in ms (JMX's resolution). */
  private static long gcMillis() {
    long sum = 0;
    for (java.lang.management.GarbageCollectorMXBean gc
        : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /**
   * How often this thread gave up its core by itself so far (Linux: blocking in the kernel, a futex included, or
   * stopping for a safepoint), or -1 where unknown.
   */
  private static long voluntarySwitches() {
    return threadCounter("status", "voluntary_ctxt_switches");
  }

  /** How long this thread was blocked on monitors or waiting (parked included), in ms. */
  private static long blockedMillis(java.lang.management.ThreadMXBean mx) {
    java.lang.management.ThreadInfo info = mx.getThreadInfo(Thread.currentThread().getId());
    return info.getBlockedTime() + info.getWaitedTime();
  }

  private static double mean(double[] xs) {
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    return sum / xs.length;
  }

  /** How often the scheduler moved this thread to another core (Linux's sched debug file), or -1 where unknown. */
  private static long migrations() {
    return threadCounter("sched", "se.nr_migrations");
  }

  /** The {@code key: value} counter of this thread's Linux file {@code /proc/thread-self/<file>}, or -1. */
  private static long threadCounter(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/thread-self", file))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** This thread's time spent runnable but waiting for a core (Linux's schedstat), or -1 where unknown. */
  private static long runQueueNanos() {
    try {
      String[] fields = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ");
      return Long.parseLong(fields[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * One variant per JVM, its database (or stack) kept across rounds: {@code bare-kept} or {@code replicated-kept}.
   * Before each round, unmeasured, {@code TRUNCATE TABLE users} (replicated as a statement event) and, replicated,
   * a wait until the replica has applied everything, so each round starts from an empty, caught-up table as a new
   * stack would, without starting and closing a stack (Undertow, XNIO, two H2 databases) between rounds.
   */
  private static void kept(String variant, int rounds) throws Exception {
    boolean replicated = switch (variant) {
      case "bare-kept" -> false;
      case "replicated-kept" -> true;
      default -> throw new IllegalArgumentException("variant must be bare-kept or replicated-kept, not " + variant);
    };
    Bare b = new Bare();
    Replicated r = new Replicated();
    Connection c;
    if (replicated) {
      r.spec();
      r.open();
      c = r.connection;
    } else {
      b.open();
      c = b.connection;
    }
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] wall = new double[rounds];
    double[] cpu = new double[rounds];
    long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
    try {
      for (int round = 0, warmUp = 0; round < rounds; ) {
        boolean measuring = warmedUp(warmUp, warmUpEnd);
        try (Statement s = c.createStatement()) {
          s.execute("TRUNCATE TABLE users");
        }
        if (replicated) {
          awaitConverged(r.stack.databaseCluster());
        }
        long t0 = mx.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        insertRows(c);
        double w = (System.nanoTime() - t) / 1e6;
        double u = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
        if (measuring) {
          wall[round] = w;
          cpu[round] = u;
          round++;
        } else {
          warmUp++;
        }
      }
    } finally {
      if (replicated) {
        r.close();
      } else {
        b.close();
      }
    }
    System.out.printf(java.util.Locale.ROOT, "%s wall-median-ms %.2f writer-cpu-median-ms %.2f%n", variant,
        quantile(wall, 0.5), quantile(cpu, 0.5));
    printWallPerRound(wall);
  }

  /** Prints each measured round's wall time in whole ms, in order: the machine's changes of speed show there. */
  private static void printWallPerRound(double[] wall) {
    StringBuilder perRound = new StringBuilder("  wall per round:");
    for (double x : wall) {
      perRound.append(String.format(java.util.Locale.ROOT, " %.0f", x));
    }
    System.out.println(perRound);
  }

  /**
   * Waits until every replica of {@code cluster} has applied everything its primary logged, for 30 s at most; then
   * fails with the cluster's status and every thread's stack.
   */
  static void awaitConverged(DatabaseCluster cluster) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cluster.isConverged()) {
      if (System.nanoTime() > deadline) {
        StringBuilder threads = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
          threads.append('\n').append(t.getName()).append(' ').append(t.getState());
          for (StackTraceElement e : stack) {
            threads.append("\n    at ").append(e);
          }
        });
        throw new IllegalStateException("the replica did not catch up within 30 s: " + cluster.status()
            + "\nthreads:" + threads);
      }
      LockSupport.parkNanos(50_000);
    }
  }

  private static void alone(String variant, int rounds) throws Exception {
    boolean bare = switch (variant) {
      case "bare", "bare-beside-stack", "bare-ballast", "bare-after-replicated", "capture-engine", "plain-engine",
          "subclass-engine" -> true;
      case "replicated", "receiver-stopped" -> false;
      default -> throw new IllegalArgumentException("variant must be bare, bare-beside-stack, bare-ballast,"
          + " bare-after-replicated, capture-engine, plain-engine, subclass-engine, receiver-stopped or replicated,"
          + " not " + variant);
    };
    // The control for the JIT: the warm-up writes through the replicated stack, the measured rounds on bare H2, so
    // H2's code runs as compiled for both (the capture engine's tables, the applier's statements) and measures
    // what the compiled code alone costs bare H2 in a JVM that replicates.
    boolean afterReplicated = variant.equals("bare-after-replicated");
    // The control: bare H2 inserts in a JVM that also starts and closes the replicated stack every round (its
    // schema script, the replica's clone, metadata queries run H2 code too), without writing through it.
    boolean besideStack = variant.equals("bare-beside-stack");
    // Another control: bare H2 in a JVM holding 1 GiB more live memory, touched once (a replica's copy of the data
    // is more live memory in the same heap); does the machine's slow speed follow the footprint?
    long[][] ballast = variant.equals("bare-ballast") ? new long[1024][] : null;
    if (ballast != null) {
      for (int i = 0; i < ballast.length; i++) {
        ballast[i] = new long[128 * 1024];
        java.util.Arrays.fill(ballast[i], i);
      }
    }
    Bare b = new Bare();
    Replicated r = new Replicated();
    r.spec();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] wall = new double[rounds];
    double[] cpu = new double[rounds];
    double[] runQueue = new double[rounds];
    Map<String, Long> othersCpu = new java.util.TreeMap<>();
    long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
    for (int round = 0, warmUp = 0; round < rounds; ) {
      boolean measuring = warmedUp(warmUp, warmUpEnd);
      boolean bareRound = bare && (measuring || !afterReplicated);
      Connection c;
      if (bareRound) {
        if (besideStack) {
          r.open();
        }
        b.open(switch (variant) {
          case "capture-engine" -> CaptureEngine.URL_SETTING;
          case "plain-engine" -> ";DEFAULT_TABLE_ENGINE=" + PlainEngine.class.getName();
          case "subclass-engine" -> ";DEFAULT_TABLE_ENGINE=" + SubclassEngine.class.getName();
          default -> "";
        });
        c = b.connection;
      } else {
        r.open();
        if (variant.equals("receiver-stopped")) {
          r.stack.databaseCluster().replicas().get(0).stopReceiver();
        }
        c = r.connection;
      }
      long q0 = runQueueNanos();
      Map<String, Long> others0 = measuring ? otherThreadsCpu() : Map.of();
      long t0 = mx.getCurrentThreadCpuTime();
      long t = System.nanoTime();
      insertRows(c);
      double w = (System.nanoTime() - t) / 1e6;
      if (measuring) {
        Map<String, Long> others1 = otherThreadsCpu();
        others1.forEach((k, v) -> othersCpu.merge(k, v - others0.getOrDefault(k, 0L), Long::sum));
      }
      double u = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
      double q = (runQueueNanos() - q0) / 1e6;
      if (bareRound) {
        b.close();
        if (besideStack) {
          r.close();
        }
      } else {
        r.close();
      }
      if (Boolean.getBoolean("replication.verbose")) {
        System.out.printf(java.util.Locale.ROOT, "round at %d ms: %.1f ms%n",
            java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), w);
      }
      if (measuring) {
        wall[round] = w;
        runQueue[round] = q;
        cpu[round] = u;
        round++;
      } else {
        warmUp++;
      }
    }
    if (ballast != null && ballast[ballast.length - 1][0] != ballast.length - 1) {
      throw new AssertionError("ballast lost");
    }
    System.out.printf(java.util.Locale.ROOT, "%s wall-median-ms %.2f writer-cpu-median-ms %.2f"
        + " waiting-for-a-core-median-ms %.2f%n", variant, quantile(wall, 0.5), quantile(cpu, 0.5),
        quantile(runQueue, 0.5));
    StringBuilder others = new StringBuilder("  other threads' CPU during the writer's rounds, ms per round:");
    othersCpu.forEach((k, v) -> {
      if (v / 1e6 / rounds >= 0.05) {
        others.append(String.format(java.util.Locale.ROOT, " %s=%.2f", k, v / 1e6 / rounds));
      }
    });
    System.out.println(others);
    printWallPerRound(wall);
  }

  /**
   * CPU time so far of every other thread of this JVM, by kind (its Linux name with digits dropped), in ns from
   * {@code /proc/self/task/<tid>/schedstat}; empty where unknown.
   */
  private static Map<String, Long> otherThreadsCpu() {
    Map<String, Long> sums = new java.util.HashMap<>();
    String self;
    try {
      self = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
    } catch (IOException e) {
      return sums;
    }
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        if (task.getFileName().toString().equals(self)) {
          continue;
        }
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
          long ns = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
          sums.merge(name, ns, Long::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended between the listing and the read: its time is lost to both readings alike
        }
      }
    } catch (IOException e) {
      return sums;
    }
    return sums;
  }

  /**
   * Controls for the capture engine in {@link #main}'s one-variant mode: H2's own table made through a table engine
   * ({@code Store.createTable}, as H2 makes it).
   */
  public static final class PlainEngine implements org.h2.api.TableEngine {
    @Override
    public org.h2.table.Table createTable(org.h2.command.ddl.CreateTableData data) {
      return data.session.getDatabase().getStore().createTable(data);
    }
  }

  /** The other control: a subclass of H2's table that overrides nothing, made as the capture engine makes its. */
  public static final class SubclassEngine implements org.h2.api.TableEngine {
    @Override
    public org.h2.table.Table createTable(org.h2.command.ddl.CreateTableData data) {
      return new PlainSubclass(data);
    }

    private static final class PlainSubclass extends org.h2.mvstore.db.MVTable {
      PlainSubclass(org.h2.command.ddl.CreateTableData data) {
        super(data, data.session.getDatabase().getStore());
      }
    }
  }

  /** True once {@code warmUpRounds} reached 20 and the warm-up's time is over. */
  private static boolean warmedUp(int warmUpRounds, long warmUpEnd) {
    return warmUpRounds >= 20 && System.nanoTime() >= warmUpEnd;
  }

  private static double quantile(double[] xs, double q) {
    double[] s = xs.clone();
    java.util.Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Connection bareH2(Bare db) throws SQLException {
    insertRows(db.connection);
    return db.connection;
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Connection primaryWithOneReplica(Replicated db) throws SQLException {
    insertRows(db.connection);
    return db.connection;
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Connection primaryWithOneReplicaCaughtUp(Replicated db) throws SQLException {
    insertRows(db.connection);
    awaitConverged(db.stack.databaseCluster());
    return db.connection;
  }

  /** What a cluster's nodes need from a stack, without one: a manual clock and an event log. */
  @State(Scope.Thread)
  public static class Context {
    NodeContext context;
    DatabaseSpec spec;

    @Setup(Level.Trial)
    public void create() throws IOException {
      ManualClock clock = new ManualClock();
      context = new NodeContext("bench", null, null, null, InetAddress.getLoopbackAddress(), clock,
          new Randomness(1), new EventLog(clock), new Links(), Runnable::run);
      Path schema = schemaFile();
      spec = StackSpec.builder("foobar.com").webServers(1)
          .database(db -> db.schema(schema).replicas(2)).build().database().orElseThrow();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<H2Database> createPrimaryWithTwoReplicas(Context ctx) throws Exception {
    ReplicationCluster cluster = new ReplicationCluster(ctx.context, ctx.spec);
    List<H2Database> nodes = cluster.databaseNodes();
    for (H2Database n : nodes) {
      n.start();
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    return nodes;
  }
}

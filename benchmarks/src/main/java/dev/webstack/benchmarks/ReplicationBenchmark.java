package dev.webstack.benchmarks;

import dev.webstack.DatabaseNode;
import dev.webstack.DatabaseSpec;
import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import dev.webstack.database.DatabaseCluster;
import dev.webstack.database.H2Database;
import dev.webstack.database.ReplicationCluster;
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
 * <p>On a shared machine, load changes between JMH's methods (minutes apart) blur a 10 % difference. {@link #main}
 * runs the two insert variants interleaved in one JVM, round after round, and prints the median of the per-round
 * ratios of wall time and of the writing thread's CPU time, which cancels slow drifts of the machine's load (CPU
 * time also leaves out the time other processes, and the replica's applier, take the core away):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.webstack.benchmarks.ReplicationBenchmark 60
 * </pre>
 */
@Threads(1)
@Fork(value = 2, jvmArgsAppend = StackBootBenchmark.JBOSS_LOGGING_SLF4J)
@Warmup(iterations = 8, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 6, time = 2, timeUnit = TimeUnit.SECONDS)
public class ReplicationBenchmark {

  static final int ROWS = 10_000;

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

  /** A bare H2 database, new for every invocation. */
  @State(Scope.Thread)
  public static class Bare {
    Connection connection;

    @Setup(Level.Invocation)
    public void open() throws SQLException {
      connection = DriverManager.getConnection("jdbc:h2:mem:bench-" + SEQUENCE.incrementAndGet()
          + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
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
   * Interleaved A/B of {@link #bareH2} and {@link #primaryWithOneReplica}: {@code rounds} (default 60) after 20
   * warm-up rounds. With a second argument, {@code bare} or {@code replicated}, runs that variant alone (30 warm-up
   * rounds, then {@code rounds}) and prints one line of medians: one JVM per variant keeps H2's call sites
   * monomorphic (the replicated variant's tables are a subclass of H2's), and alternating such JVMs from a shell
   * loop cancels slow drifts of the machine's load as the interleaved run does.
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.jboss.logging.provider", "slf4j");
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    if (args.length > 1) {
      alone(args[1], rounds);
      return;
    }
    Bare bare = new Bare();
    Replicated replicated = new Replicated();
    replicated.spec();
    ReplicationBenchmark b = new ReplicationBenchmark();
    double[] bareMs = new double[rounds];
    double[] replMs = new double[rounds];
    double[] ratio = new double[rounds];
    double[] bareCpu = new double[rounds];
    double[] replCpu = new double[rounds];
    double[] cpuRatio = new double[rounds];
    double[] bareProc = new double[rounds];
    double[] replProc = new double[rounds];
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = -20; round < rounds; round++) {
      double x = 0;
      double y = 0;
      double cx = 0;
      double cy = 0;
      double px = 0;
      double py = 0;
      for (int order = 0; order < 2; order++) {
        if ((order == 0) == (round % 2 == 0)) {
          bare.open();
          long p = os.getProcessCpuTime();
          long c = mx.getCurrentThreadCpuTime();
          long t = System.nanoTime();
          b.bareH2(bare);
          x = (System.nanoTime() - t) / 1e6;
          cx = (mx.getCurrentThreadCpuTime() - c) / 1e6;
          px = (os.getProcessCpuTime() - p) / 1e6;
          bare.close();
        } else {
          replicated.open();
          long p = os.getProcessCpuTime();
          long c = mx.getCurrentThreadCpuTime();
          long t = System.nanoTime();
          b.primaryWithOneReplica(replicated);
          y = (System.nanoTime() - t) / 1e6;
          cy = (mx.getCurrentThreadCpuTime() - c) / 1e6;
          py = (os.getProcessCpuTime() - p) / 1e6;
          replicated.close();
        }
      }
      if (round >= 0) {
        bareMs[round] = x;
        replMs[round] = y;
        ratio[round] = y / x;
        bareCpu[round] = cx;
        replCpu[round] = cy;
        cpuRatio[round] = cy / cx;
        bareProc[round] = px;
        replProc[round] = py;
      }
    }
    System.out.printf("%d interleaved rounds of %d autocommit inserts: bare H2 median %.1f ms, primary with one"
        + " replica median %.1f ms, median per-round ratio %.3f (p25 %.3f, p75 %.3f)%n", rounds, ROWS,
        median(bareMs, 0.5), median(replMs, 0.5), median(ratio, 0.5), median(ratio, 0.25), median(ratio, 0.75));
    System.out.printf("writer thread CPU time: bare H2 median %.1f ms, primary with one replica median %.1f ms,"
        + " median per-round ratio %.3f (p25 %.3f, p75 %.3f); the replica's applier runs on another thread%n",
        median(bareCpu, 0.5), median(replCpu, 0.5), median(cpuRatio, 0.5), median(cpuRatio, 0.25),
        median(cpuRatio, 0.75));
    System.out.printf("process CPU time in the same windows (every thread: the applier, the JIT, GC): bare H2"
        + " median %.1f ms, primary with one replica median %.1f ms%n", median(bareProc, 0.5), median(replProc, 0.5));
  }

  private static void alone(String variant, int rounds) throws Exception {
    boolean bare = switch (variant) {
      case "bare", "bare-beside-stack" -> true;
      case "replicated" -> false;
      default -> throw new IllegalArgumentException(
          "variant must be bare, bare-beside-stack or replicated, not " + variant);
    };
    // The control: bare H2 inserts in a JVM that also starts and closes the replicated stack every round (its
    // schema script, the replica's clone, metadata queries run H2 code too), without writing through it.
    boolean besideStack = variant.equals("bare-beside-stack");
    Bare b = new Bare();
    Replicated r = new Replicated();
    r.spec();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] wall = new double[rounds];
    double[] cpu = new double[rounds];
    for (int round = -30; round < rounds; round++) {
      Connection c;
      if (bare) {
        if (besideStack) {
          r.open();
        }
        b.open();
        c = b.connection;
      } else {
        r.open();
        c = r.connection;
      }
      long t0 = mx.getCurrentThreadCpuTime();
      long t = System.nanoTime();
      insertRows(c);
      double w = (System.nanoTime() - t) / 1e6;
      double u = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
      if (bare) {
        b.close();
        if (besideStack) {
          r.close();
        }
      } else {
        r.close();
      }
      if (round >= 0) {
        wall[round] = w;
        cpu[round] = u;
      }
    }
    System.out.printf(java.util.Locale.ROOT, "%s wall-median-ms %.2f writer-cpu-median-ms %.2f%n", variant,
        median(wall, 0.5), median(cpu, 0.5));
  }

  private static double median(double[] xs, double q) {
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
    DatabaseCluster cluster = db.stack.databaseCluster();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cluster.isConverged()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the replica did not catch up within 30 s: " + cluster.status());
      }
      LockSupport.parkNanos(50_000);
    }
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

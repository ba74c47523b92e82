package dev.webstack.benchmarks.simulation;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.HashKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The distribution-quality simulation of the balancing algorithms: how evenly they spread load, what that does to
 * latency on servers of different speeds, and how many keys the hashing ones move when a server leaves or joins.
 * It checks the library's own pickers against theory (balancing.md §5.1) and against the reference table of
 * §5.3, in three parts:
 *
 * <ol>
 *   <li>{@link BallsIntoBins}: m requests on n equal servers, no departures, {@code random(1)} vs {@code
 *       random(2)}, mean over 20 seeds, next to {@link Theory} and §5.3;
 *   <li>{@link QueueingSimulation}: Poisson arrivals on heterogeneous FIFO servers, every algorithm, latency;
 *   <li>{@link KeyMovement}: keys moved on a removal or a join, map-based hash vs consistent hash vs Maglev.
 * </ol>
 *
 * <p>Everything is deterministic from one seed and reads no clock, so two runs print the same tables and write the
 * same JSON (apart from the machine description). Usage, from the repository root after {@code mvn -pl benchmarks
 * -am package -DskipTests}:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.webstack.benchmarks.simulation.DistributionSimulation [--quick] [--seed N] [out.json]
 * </pre>
 *
 * The default output is {@code benchmarks/results/simulation.json}; {@code --quick} shortens the queueing runs and
 * samples fewer servers for key movement, finishing in seconds. See {@code benchmarks/SIMULATION.md}.
 */
public final class DistributionSimulation {

  /** The seed of a run without {@code --seed}: fixed, so the documented tables can be reproduced. */
  public static final long DEFAULT_SEED = 20_250_517L;

  /** Where the JSON goes without an argument, relative to the working directory (the repository root). */
  public static final Path DEFAULT_OUTPUT = Path.of("benchmarks", "results", "simulation.json");

  /** Seeds per (n, m) in part 1, as in §5.3 ("mean of 20 seeds"). */
  public static final int BALLS_SEEDS = 20;

  /** Hash keys in part 3. */
  public static final int MOVEMENT_KEYS = 100_000;

  /** Speeds of the heterogeneous scenarios: three tiers, 1×, 2× and 4×, four servers each (capacity 28). */
  private static final double[] TIERS = {1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4};

  /** The HashKey the hashing algorithms are built with; the simulation passes keys directly, so any would do. */
  private static final HashKey KEY = HashKey.sourceIp();

  private DistributionSimulation() {}

  /**
   * What to run.
   *
   * @param quick short queueing runs (one replication of 40 000 requests instead of three of 200 000) and 10
   *     sampled servers per key-movement row instead of 25; part 1 is cheap and always complete
   */
  public record Options(boolean quick, long seed, Path output) {

    public Options {
      Objects.requireNonNull(output, "output");
    }

    int queueingRequests() {
      return quick ? 40_000 : 200_000;
    }

    int queueingReplications() {
      return quick ? 1 : 3;
    }

    /** Servers removed (or joined) one at a time per row: every one for n = 10; 25 spread evenly for n = 100. */
    int movementSamples() {
      return quick ? 10 : 25;
    }

    /** Parses {@code [--quick] [--seed N] [out.json]}. */
    static Options parse(String... args) {
      boolean quick = false;
      long seed = DEFAULT_SEED;
      Path output = DEFAULT_OUTPUT;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> quick = true;
          case "--seed" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--seed needs a value");
            }
            seed = Long.decode(args[++i]);
          }
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + args[i]
                  + "; usage: DistributionSimulation [--quick] [--seed N] [out.json]");
            }
            output = Path.of(args[i]);
          }
        }
      }
      return new Options(quick, seed, output);
    }
  }

  /** A number of servers and of requests for part 1. */
  public record Size(int n, long m) {}

  /**
   * A row of balancing.md §5.3: the reference simulation's means over 20 seeds, sequential, no departures.
   * Kept here verbatim so the report can print it next to our own figures.
   */
  public record Reference(int n, long m, double randomMaxOverMean, double randomCv, double twoChoicesMaxOverMean,
      double twoChoicesCv) {}

  private static final List<Reference> REFERENCE = List.of(
      new Reference(10, 1_000, 1.148, 0.090, 1.012, 0.009),
      new Reference(100, 100, 4.25, 0.98, 2.65, 0.70),
      new Reference(100, 10_000, 1.266, 0.097, 1.016, 0.009),
      new Reference(1000, 1_000, 5.40, 1.00, 3.00, 0.70),
      new Reference(1000, 10_000, 2.135, 0.314, 1.205, 0.094));

  /** The §5.3 row for (n, m), if the table has one. */
  public static Optional<Reference> reference(int n, long m) {
    return REFERENCE.stream().filter(r -> r.n() == n && r.m() == m).findFirst();
  }

  /** Part 1's sizes: n ∈ {10, 100, 1000} with m ∈ {n, 10n}, plus the §5.3 rows not among those. */
  public static List<Size> ballsSizes() {
    List<Size> sizes = new ArrayList<>();
    for (int n : new int[] {10, 100, 1000}) {
      sizes.add(new Size(n, n));
      sizes.add(new Size(n, 10L * n));
      if (n <= 100) {
        sizes.add(new Size(n, 100L * n)); // §5.3's (10, 1000) and (100, 10000)
      }
    }
    return sizes;
  }

  /** Part 1's algorithms: one random choice and the better of two, our pickers, seeded per run. */
  public static List<Contender> ballsContenders() {
    return List.of(new Contender("random(1)", BalancingAlgorithm::random),
        new Contender("random(2)", BalancingAlgorithm::powerOfTwoChoices));
  }

  /** Part 2's algorithms, in the order the tables list them. */
  public static List<Contender> queueingContenders() {
    return List.of(
        Contender.of("roundrobin (no weights)", BalancingAlgorithm.roundRobin()),
        Contender.of("swrr (nginx)", BalancingAlgorithm.nginxRoundRobin()),
        Contender.of("fwrr (haproxy)", BalancingAlgorithm.haproxyRoundRobin()),
        Contender.of("leastconn", BalancingAlgorithm.leastConnections()),
        new Contender("random(1)", BalancingAlgorithm::random),
        new Contender("random(2) two choices", BalancingAlgorithm::powerOfTwoChoices),
        Contender.of("hash map-based", BalancingAlgorithm.hash(KEY)),
        Contender.of("consistent hash", BalancingAlgorithm.consistentHash(KEY)),
        Contender.of("maglev", BalancingAlgorithm.maglev(KEY)),
        Contender.of("consistent, bound 125%",
            BalancingAlgorithm.boundedLoad(BalancingAlgorithm.consistentHash(KEY), 125)));
  }

  /**
   * Part 2's scenarios. Four heterogeneous ones (speed tiers 1×/2×/4×, weights = speeds, utilization 0.7 and 0.9,
   * exponential and bimodal costs); one where the balancer is not told the speeds (every weight 1), where only
   * algorithms that watch queues can stay stable; and a homogeneous control (12 servers of speed 1).
   */
  public static List<QueueingSimulation.Config> queueingScenarios(int requests, long seed) {
    double[] equal = new double[TIERS.length];
    Arrays.fill(equal, 1);
    List<QueueingSimulation.Config> scenarios = new ArrayList<>();
    for (CostModel cost : CostModel.values()) {
      for (double rho : new double[] {0.7, 0.9}) {
        scenarios.add(new QueueingSimulation.Config(
            String.format(Locale.ROOT, "tiers 1/2/4x, weights = speeds, rho %.1f, %s cost", rho, lower(cost)),
            TIERS, true, rho, cost, requests, 0.1, seed));
      }
    }
    scenarios.add(new QueueingSimulation.Config("tiers 1/2/4x, all weights 1 (speeds unknown), rho 0.7, "
        + "exponential cost", TIERS, false, 0.7, CostModel.EXPONENTIAL, requests, 0.1, seed));
    scenarios.add(new QueueingSimulation.Config("homogeneous control: 12 x speed 1, rho 0.9, exponential cost",
        equal, true, 0.9, CostModel.EXPONENTIAL, requests, 0.1, seed));
    return scenarios;
  }

  /** Part 3's algorithms: the three table-driven hashes (ring at HAProxy's and nginx's densities). */
  public static List<Contender> hashingContenders() {
    return List.of(
        Contender.of("hash map-based", BalancingAlgorithm.hash(KEY)),
        Contender.of("consistent 16 pts", BalancingAlgorithm.consistentHash(KEY)),
        Contender.of("consistent 160 pts", BalancingAlgorithm.consistentHash(KEY, 160)),
        Contender.of("maglev 65537", BalancingAlgorithm.maglev(KEY)));
  }

  /**
   * One part-2 scenario's results, with what theory says for speed-weighted random dispatch where that is
   * known (NaN otherwise).
   */
  public record ScenarioResult(QueueingSimulation.Config config, double randomMeanTheory,
      double randomP99Theory, List<QueueingSimulation.Result> results) {}

  /** Everything one run produced. */
  public record Report(Options options, List<BallsIntoBins.Result> balls, List<ScenarioResult> queueing,
      List<KeyMovement.Result> movement) {}

  /**
   * Runs all three parts.
   *
   * @param progress receives each part's table as soon as it is done, so a long run shows progress
   */
  public static Report run(Options options, Consumer<String> progress) {
    List<BallsIntoBins.Result> balls = new ArrayList<>();
    for (Size size : ballsSizes()) {
      for (Contender c : ballsContenders()) {
        balls.add(BallsIntoBins.run(c.label(), c.algorithm(), size.n(), size.m(), BALLS_SEEDS, options.seed()));
      }
    }
    progress.accept(ballsTable(balls));

    List<ScenarioResult> queueing = new ArrayList<>();
    for (QueueingSimulation.Config config : queueingScenarios(options.queueingRequests(), options.seed())) {
      List<QueueingSimulation.Result> results = new ArrayList<>();
      for (Contender c : queueingContenders()) {
        results.add(QueueingSimulation.run(c, config, options.queueingReplications()));
      }
      ScenarioResult scenario = new ScenarioResult(config, randomMeanTheory(config), randomP99Theory(config),
          results);
      queueing.add(scenario);
      progress.accept(queueingTable(scenario));
    }

    List<KeyMovement.Result> movement = new ArrayList<>();
    long[] keys = KeyMovement.randomKeys(MOVEMENT_KEYS, options.seed());
    for (int n : new int[] {10, 100}) {
      for (KeyMovement.Change change : KeyMovement.Change.values()) {
        for (Contender c : hashingContenders()) {
          movement.add(KeyMovement.measure(c.label(), c.algorithm().apply(options.seed()), change, n, keys,
              options.movementSamples()));
        }
      }
    }
    progress.accept(movementTable(movement));
    return new Report(options, balls, queueing, movement);
  }

  /** Random dispatch has shares ∝ weights; theory applies when those are the speeds (or all speeds are equal). */
  private static boolean randomMatchesSpeeds(QueueingSimulation.Config config) {
    return config.weightsFromSpeeds() || Arrays.stream(config.speeds()).distinct().count() == 1;
  }

  private static double randomMeanTheory(QueueingSimulation.Config config) {
    return randomMatchesSpeeds(config)
        ? Theory.randomDispatchMeanSojourn(config.speeds(), config.utilization(), config.cost().scv())
        : Double.NaN;
  }

  private static double randomP99Theory(QueueingSimulation.Config config) {
    return randomMatchesSpeeds(config) && config.cost() == CostModel.EXPONENTIAL
        ? Theory.randomDispatchSojournQuantile(config.speeds(), config.utilization(), 0.99)
        : Double.NaN;
  }

  // ---- text tables -------------------------------------------------------------------------------------------

  static String ballsTable(List<BallsIntoBins.Result> results) {
    StringBuilder b = new StringBuilder();
    b.append("== 1. Balls into bins: m requests on n equal servers, no departures, mean over ")
        .append(BALLS_SEEDS).append(" seeds (± = sd over seeds) ==\n")
        .append("theory: random(1) max/mean by Poissonization, CV = sqrt((n-1)/m) exactly; random(2) from the fluid"
            + " limit (distinct draws)\n");
    b.append(String.format(Locale.ROOT, "%5s %7s  %-9s  %15s %7s %7s  %15s %7s %7s  %8s%n", "n", "m", "algorithm",
        "max/mean", "theory", "§5.3", "CV", "theory", "§5.3", "max-m/n"));
    for (BallsIntoBins.Result r : results) {
      boolean two = r.algorithm().equals("random(2)");
      double theoryMax = two ? Theory.choicesMaxOverMean(2, r.n(), r.m()) : Theory.randomMaxOverMean(r.n(), r.m());
      double theoryCv = two ? Theory.choicesCv(2, r.n(), r.m()) : Theory.randomCv(r.n(), r.m());
      Optional<Reference> ref = reference(r.n(), r.m());
      String refMax = ref.map(x -> fmt(two ? x.twoChoicesMaxOverMean() : x.randomMaxOverMean(), 3)).orElse("-");
      String refCv = ref.map(x -> fmt(two ? x.twoChoicesCv() : x.randomCv(), 3)).orElse("-");
      b.append(String.format(Locale.ROOT, "%5d %7d  %-9s  %15s %7.3f %7s  %15s %7.4f %7s  %8.2f%n", r.n(), r.m(),
          r.algorithm(), fmt(r.maxOverMean(), 3) + " ± " + fmt(r.maxOverMeanSd(), 3), theoryMax, refMax,
          fmt(r.cv(), 4) + " ± " + fmt(r.cvSd(), 4), theoryCv, refCv, r.maxGap()));
    }
    return b.toString();
  }

  static String queueingTable(ScenarioResult s) {
    QueueingSimulation.Config c = s.config();
    StringBuilder b = new StringBuilder();
    b.append("== 2. Queueing: ").append(c.name()).append(" ==\n");
    b.append(String.format(Locale.ROOT, "speeds %s, arrival rate %.2f/unit, %d requests x %d replication(s), first"
            + " %.0f%% left out; FIFO servers; latency in mean-cost-at-speed-1 units%n",
        speeds(c.speeds()), c.arrivalRate(), c.requests(), s.results().get(0).replications(),
        c.warmupFraction() * 100));
    if (!Double.isNaN(s.randomMeanTheory())) {
      b.append(String.format(Locale.ROOT, "theory for random(1) (each server M/G/1 at rho %.1f): mean %.3f",
          c.utilization(), s.randomMeanTheory()));
      if (!Double.isNaN(s.randomP99Theory())) {
        b.append(String.format(Locale.ROOT, ", p99 %.3f", s.randomP99Theory()));
      }
      b.append('\n');
    }
    b.append(String.format(Locale.ROOT, "%-24s %10s %7s %9s %8s %16s %9s %9s %8s%n", "algorithm", "work max/mean",
        "req CV", "mean", "p50", "p99 (± sd)", "p99.9", "max util", "max q"));
    boolean anySaturated = false;
    for (QueueingSimulation.Result r : s.results()) {
      anySaturated |= r.saturated();
      b.append(String.format(Locale.ROOT, "%-24s %10.3f %7.3f %9s %8s %16s %9s %8.3f%s %8d%n", r.algorithm(),
          r.workMaxOverMean(), r.requestCv(), latency(r.meanLatency()), latency(r.p50Latency()),
          latency(r.p99Latency()) + (r.replications() > 1 ? " ± " + latency(r.p99LatencySd()) : ""),
          latency(r.p999Latency()), r.maxUtilization(), r.saturated() ? "*" : " ", r.maxInFlight()));
    }
    if (anySaturated) {
      b.append("* saturated: a server received at least as much work as it could do (max util >= 1), so its"
          + " queue grew all run long and latency depends on the run's length\n");
    }
    return b.toString();
  }

  static String movementTable(List<KeyMovement.Result> results) {
    StringBuilder b = new StringBuilder();
    b.append("== 3. Keys moved on membership change: ").append(MOVEMENT_KEYS)
        .append(" random keys, equal weights (needless = moved between two servers that both stayed) ==\n");
    b.append(String.format(Locale.ROOT, "%4s %-7s %-19s %7s %8s %18s %8s %11s %9s %13s%n", "n", "change",
        "algorithm", "samples", "moved", "[min .. max]", "ideal", "moved/ideal", "needless", "keys max/mean"));
    for (KeyMovement.Result r : results) {
      b.append(String.format(Locale.ROOT, "%4d %-7s %-19s %7d %8.4f %18s %8.4f %11.2f %9.4f %13.3f%n", r.n(),
          r.change() == KeyMovement.Change.REMOVE ? "remove" : "join", r.algorithm(), r.samples(), r.meanMoved(),
          "[" + fmt(r.minMoved(), 4) + " .. " + fmt(r.maxMoved(), 4) + "]", r.ideal(), r.movedOverIdeal(),
          r.meanNeedless(), r.keysMaxOverMean()));
    }
    b.append("(samples = servers removed or joined, one at a time; a removal from n ideally moves 1/n of the"
        + " keys, a join to n ideally 1/(n+1); keys max/mean is before the change)\n");
    return b.toString();
  }

  // ---- JSON --------------------------------------------------------------------------------------------------

  static String toJson(Report report) {
    Json j = new Json().beginObject();
    j.name("meta").beginObject()
        .member("mode", report.options().quick() ? "quick" : "full")
        .member("seed", report.options().seed())
        .member("javaVersion", System.getProperty("java.version"))
        .member("javaVm", System.getProperty("java.vm.name"))
        .member("availableProcessors", Runtime.getRuntime().availableProcessors())
        .member("queueDiscipline", "FIFO, one request in service per server")
        .member("latencyUnit", "mean request cost on a speed-1 server")
        .endObject();

    j.name("ballsIntoBins").beginArray();
    for (BallsIntoBins.Result r : report.balls()) {
      boolean two = r.algorithm().equals("random(2)");
      Optional<Reference> ref = reference(r.n(), r.m());
      j.beginObject().member("algorithm", r.algorithm()).member("n", r.n()).member("m", r.m())
          .member("seeds", r.seeds()).member("maxOverMean", r.maxOverMean())
          .member("maxOverMeanSd", r.maxOverMeanSd()).member("cv", r.cv()).member("cvSd", r.cvSd())
          .member("maxMinusMean", r.maxGap())
          .member("theoryMaxOverMean",
              two ? Theory.choicesMaxOverMean(2, r.n(), r.m()) : Theory.randomMaxOverMean(r.n(), r.m()))
          .member("theoryCv", two ? Theory.choicesCv(2, r.n(), r.m()) : Theory.randomCv(r.n(), r.m()));
      if (ref.isPresent()) {
        Reference x = ref.get();
        j.member("referenceMaxOverMean", two ? x.twoChoicesMaxOverMean() : x.randomMaxOverMean())
            .member("referenceCv", two ? x.twoChoicesCv() : x.randomCv());
      }
      j.endObject();
    }
    j.endArray();

    j.name("queueing").beginArray();
    for (ScenarioResult s : report.queueing()) {
      QueueingSimulation.Config c = s.config();
      j.beginObject().member("scenario", c.name()).member("speeds", c.speeds())
          .member("weightsFromSpeeds", c.weightsFromSpeeds()).member("utilization", c.utilization())
          .member("cost", lower(c.cost())).member("costScv", c.cost().scv())
          .member("arrivalRate", c.arrivalRate()).member("requests", c.requests())
          .member("warmupFraction", c.warmupFraction()).member("seed", c.seed())
          .member("theoryRandomMeanLatency", s.randomMeanTheory())
          .member("theoryRandomP99Latency", s.randomP99Theory());
      j.name("results").beginArray();
      for (QueueingSimulation.Result r : s.results()) {
        j.beginObject().member("algorithm", r.algorithm()).member("replications", r.replications())
            .member("requestsMeasured", r.requestsMeasured()).member("workMaxOverMean", r.workMaxOverMean())
            .member("requestCv", r.requestCv()).member("meanLatency", r.meanLatency())
            .member("p50Latency", r.p50Latency()).member("p99Latency", r.p99Latency())
            .member("p99LatencySd", r.p99LatencySd()).member("p999Latency", r.p999Latency())
            .member("maxUtilization", r.maxUtilization()).member("saturated", r.saturated())
            .member("maxInFlight", r.maxInFlight()).member("requestsPerServer", r.requestsPerServer())
            .member("workPerServer", r.workPerServer()).endObject();
      }
      j.endArray().endObject();
    }
    j.endArray();

    j.name("keyMovement").beginArray();
    for (KeyMovement.Result r : report.movement()) {
      j.beginObject().member("algorithm", r.algorithm()).member("n", r.n()).member("keys", r.keys())
          .member("change", lower(r.change())).member("samples", r.samples()).member("meanMoved", r.meanMoved())
          .member("minMoved", r.minMoved()).member("maxMoved", r.maxMoved())
          .member("meanNeedless", r.meanNeedless()).member("ideal", r.ideal())
          .member("movedOverIdeal", r.movedOverIdeal()).member("keysMaxOverMean", r.keysMaxOverMean())
          .endObject();
    }
    j.endArray();
    return j.endObject().toString();
  }

  // ---- main --------------------------------------------------------------------------------------------------

  /** Runs the simulation, prints the tables and writes the JSON; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.out.printf(Locale.ROOT, "Distribution-quality simulation, %s mode, seed %d, %d processors, Java %s%n%n",
        options.quick() ? "quick" : "full", options.seed(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    Report report = run(options, table -> {
      System.out.println(table);
      System.out.flush();
    });
    Path out = options.output().toAbsolutePath();
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, toJson(report), StandardCharsets.UTF_8);
    System.out.println("JSON written to " + options.output());
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String fmt(double d, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", d);
  }

  /** Latencies span 0.3 to thousands when a server saturates: keep three significant-ish figures either way. */
  private static String latency(double d) {
    return d >= 1000 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d);
  }

  private static String speeds(double[] speeds) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < speeds.length; i++) {
      b.append(i == 0 ? "" : ",").append(speeds[i] == Math.rint(speeds[i])
          ? Long.toString((long) speeds[i]) : Double.toString(speeds[i]));
    }
    return b.append(']').toString();
  }
}

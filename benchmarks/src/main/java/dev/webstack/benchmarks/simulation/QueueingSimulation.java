package dev.webstack.benchmarks.simulation;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of one balancer in front of servers of different speeds, to see what the
 * balls-into-bins numbers mean for latency once requests also leave.
 *
 * <p>Model: requests arrive as a Poisson stream whose rate makes the offered load {@code utilization} × the total
 * capacity Σ speed; each brings a cost from a {@link CostModel} (mean 1) and a uniform random 64-bit hash key. On
 * arrival the algorithm's picker chooses a server from the in-flight counts of a {@link ServerSet} ({@link
 * ServerSet#started} on arrival, {@link ServerSet#finished} at completion). Each server is a single FIFO queue
 * serving one request at a time at its speed (service time = cost ÷ speed), i.e. an M/G/1 queue per server, so a
 * request's completion time is fixed on arrival and only completions need an event list. FIFO rather than
 * processor sharing keeps the model checkable against M/M/1 formulas; with exponential costs the queue lengths
 * (all the pickers see) evolve the same under both disciplines, since a busy server completes requests at rate
 * speed either way, so the mean sojourn time is the same too; the latency tails differ.
 *
 * <p>Common random numbers: for a given seed every algorithm sees exactly the same arrival times, costs and keys,
 * so differences between algorithms are not sampling noise of the workload. The first {@code warmupFraction} of
 * requests (the system starts empty) are excluded from every metric. Nothing reads a clock: time is simulated.
 */
public final class QueueingSimulation {

  /**
   * At or above this measured utilization a server received at least as much work as it could do in the measured
   * window, so its queue grew through the run. Measured, not offered: a nominally stable server at ρ = 0.9 can
   * cross it in a short run by chance, and then its latency did depend on the run's length too.
   */
  static final double SATURATED = 1.0;

  private QueueingSimulation() {}

  /**
   * One scenario.
   *
   * @param speeds work units per unit of time, per server; the balancer's weights when {@code weightsFromSpeeds}
   *     (then each speed must be a whole number 1..256, HAProxy's weight range)
   * @param weightsFromSpeeds true: the balancer is told the speeds as weights; false: every weight is 1, a
   *     balancer configured as if the servers were equal
   * @param utilization offered load ÷ total capacity, below 1
   * @param requests arrivals per replication, warm-up included
   * @param warmupFraction share of the first arrivals left out of the metrics
   */
  public record Config(String name, double[] speeds, boolean weightsFromSpeeds, double utilization, CostModel cost,
      int requests, double warmupFraction, long seed) {

    public Config {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(cost, "cost");
      speeds = speeds.clone();
      if (speeds.length == 0 || Arrays.stream(speeds).anyMatch(s -> !(s > 0))) {
        throw new IllegalArgumentException("speeds must be positive: " + Arrays.toString(speeds));
      }
      if (weightsFromSpeeds && Arrays.stream(speeds).anyMatch(s -> s != Math.rint(s) || s > ServerSet.MAX_WEIGHT)) {
        throw new IllegalArgumentException("speeds used as weights must be whole numbers 1..256: "
            + Arrays.toString(speeds));
      }
      if (!(utilization > 0 && utilization < 1)) {
        throw new IllegalArgumentException("utilization must be in (0, 1): " + utilization);
      }
      if (requests < 100 || !(warmupFraction >= 0 && warmupFraction < 0.9)) {
        throw new IllegalArgumentException("need at least 100 requests and a warm-up share in [0, 0.9)");
      }
    }

    @Override
    public double[] speeds() {
      return speeds.clone();
    }

    /** Arrivals per unit of time: utilization × Σ speed ÷ mean cost. */
    public double arrivalRate() {
      return utilization * Arrays.stream(speeds).sum() / cost.mean();
    }

    /** The same scenario with other sizes, e.g. a shorter one for tests. */
    public Config withRequests(int newRequests) {
      return new Config(name, speeds, weightsFromSpeeds, utilization, cost, newRequests, warmupFraction, seed);
    }
  }

  /**
   * One algorithm's outcome in one scenario, averaged over replications (each metric is computed per
   * replication, then averaged).
   *
   * @param workMaxOverMean max ÷ mean over servers of (work received ÷ speed): 1 when every server is equally busy
   *     for its speed; this normalization makes heterogeneous servers comparable
   * @param requestCv CV of the number of requests each server received (unnormalized, so a speed-weighted split
   *     shows a CV too: with speeds 1, 2, 4 in equal numbers the ideal split has a CV of 0.53)
   * @param meanLatency mean sojourn time (queueing + service), in units of a mean request on a speed-1 server
   * @param p99LatencySd standard deviation of the p99 over replications
   * @param maxUtilization the busiest server's work received ÷ (speed × measured time); at or above {@link
   *     #SATURATED} its queue grows for the whole run and the latency figures depend on the run length
   * @param maxInFlight the most requests in flight on one server at any arrival, over all replications
   * @param requestsPerServer requests per server, summed over replications
   * @param workPerServer work per server, summed over replications
   */
  public record Result(String algorithm, String scenario, int replications, long requestsMeasured,
      double workMaxOverMean, double requestCv, double meanLatency, double p50Latency, double p99Latency,
      double p99LatencySd, double p999Latency, double maxUtilization, int maxInFlight, long[] requestsPerServer,
      double[] workPerServer) {

    /** True when some server received more work than it can do: its latency grows with the run's length. */
    public boolean saturated() {
      return maxUtilization >= SATURATED;
    }
  }

  /** Runs {@code replications} independent replications of {@code config} with {@code contender}. */
  public static Result run(Contender contender, Config config, int replications) {
    if (replications < 1) {
      throw new IllegalArgumentException("replications must be positive: " + replications);
    }
    int n = config.speeds().length;
    double[] workRatio = new double[replications];
    double[] requestCv = new double[replications];
    double[] mean = new double[replications];
    double[] p50 = new double[replications];
    double[] p99 = new double[replications];
    double[] p999 = new double[replications];
    double[] maxUtil = new double[replications];
    int maxInFlight = 0;
    long[] requestsPerServer = new long[n];
    double[] workPerServer = new double[n];
    long measured = 0;
    for (int rep = 0; rep < replications; rep++) {
      long seed = config.seed() + rep * 0x9e3779b97f4a7c15L;
      Replication r = replicate(contender.algorithm().apply(seed ^ 0x5eed_a160_0000L), config, seed);
      double[] busy = new double[n];
      for (int i = 0; i < n; i++) {
        busy[i] = r.work[i] / config.speeds[i];
        requestsPerServer[i] += r.requests[i];
        workPerServer[i] += r.work[i];
      }
      workRatio[rep] = Stats.maxOverMean(busy);
      requestCv[rep] = Stats.cv(Stats.toDoubles(r.requests));
      double[] sorted = r.latencies.clone();
      Arrays.sort(sorted);
      mean[rep] = Stats.mean(sorted);
      p50[rep] = Stats.quantileOfSorted(sorted, sorted.length, 0.50);
      p99[rep] = Stats.quantileOfSorted(sorted, sorted.length, 0.99);
      p999[rep] = Stats.quantileOfSorted(sorted, sorted.length, 0.999);
      maxUtil[rep] = Arrays.stream(busy).max().orElse(0) / r.duration;
      maxInFlight = Math.max(maxInFlight, r.maxInFlight);
      measured += sorted.length;
    }
    return new Result(contender.label(), config.name(), replications, measured, Stats.mean(workRatio),
        Stats.mean(requestCv), Stats.mean(mean), Stats.mean(p50), Stats.mean(p99), Stats.sampleStdDev(p99),
        Stats.mean(p999), Stats.mean(maxUtil), maxInFlight, requestsPerServer, workPerServer);
  }

  /** What one replication leaves behind, before any averaging. */
  private record Replication(int[] requests, double[] work, double[] latencies, double duration, int maxInFlight) {}

  private static Replication replicate(BalancingAlgorithm algorithm, Config config, long seed) {
    double[] speeds = config.speeds;
    int n = speeds.length;
    ServerSet set = new ServerSet(() -> 0L); // simulated time only; slow start is not configured
    for (int i = 0; i < n; i++) {
      set.add("s" + i, config.weightsFromSpeeds() ? (int) speeds[i] : 1);
    }
    Picker picker = algorithm.newPicker(set);
    SplittableRandom workload = new SplittableRandom(seed);
    double rate = config.arrivalRate();
    int warmup = (int) (config.requests() * config.warmupFraction());
    int[] requests = new int[n];
    double[] work = new double[n];
    double[] latencies = new double[config.requests() - warmup];
    double[] busyUntil = new double[n];
    CompletionQueue completions = new CompletionQueue();
    double now = 0;
    double measuredFrom = 0;
    int maxInFlight = 0;
    for (int r = 0; r < config.requests(); r++) {
      // The workload draws come first and always in the same order, whatever the algorithm does.
      now += -Math.log(1 - workload.nextDouble()) / rate;
      double cost = config.cost().sample(workload);
      long key = workload.nextLong();
      if (key == 0) {
        key = 1; // 0 means "no key" to the hashing pickers
      }
      while (completions.peekTime() <= now) {
        set.finished(completions.poll());
      }
      int id = picker.pick(key, Picker.SKIP_NONE);
      if (id < 0) {
        throw new IllegalStateException(algorithm.name() + " found no server in " + set);
      }
      set.started(id);
      double done = Math.max(now, busyUntil[id]) + cost / speeds[id];
      busyUntil[id] = done;
      completions.add(done, id);
      if (r == warmup) {
        measuredFrom = now;
      }
      if (r >= warmup) {
        latencies[r - warmup] = done - now;
        requests[id]++;
        work[id] += cost;
        maxInFlight = Math.max(maxInFlight, set.inFlight(id));
      }
    }
    return new Replication(requests, work, latencies, now - measuredFrom, maxInFlight);
  }
}

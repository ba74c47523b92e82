package dev.webstack.benchmarks.simulation;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The sequential balls-into-bins experiment of balancing.md §5.1 and §5.3, run through the library's own pickers:
 * m requests go one after another to n servers of weight 1, each counted with {@link ServerSet#started} and never
 * {@link ServerSet#finished}, so a server's in-flight count is its total load and a load-aware picker such as
 * {@code random(2)} sees exactly the loads of the theory. Repeated over several seeds because one run's max is a
 * noisy statistic; the mean over seeds is what §5.3 tabulates.
 */
public final class BallsIntoBins {

  private BallsIntoBins() {}

  /**
   * The outcome over all seeds.
   *
   * @param maxOverMean mean over seeds of max load ÷ (m ÷ n)
   * @param maxOverMeanSd the standard deviation of that metric over seeds (the error of the mean is it ÷ √seeds)
   * @param cv mean over seeds of the coefficient of variation of the loads
   * @param cvSd its standard deviation over seeds
   * @param maxGap mean over seeds of max load − m ÷ n, the quantity the two-choice theorems bound by ln ln n ÷
   *     ln 2 + O(1)
   */
  public record Result(String algorithm, int n, long m, int seeds, double maxOverMean, double maxOverMeanSd,
      double cv, double cvSd, double maxGap) {}

  /**
   * Runs {@code seeds} independent placements.
   *
   * @param algorithm makes the algorithm for one seed, e.g. {@code BalancingAlgorithm::powerOfTwoChoices}
   * @param baseSeed seed i uses {@code baseSeed + i}, so runs with the same base replay exactly
   */
  public static Result run(String label, LongFunction<BalancingAlgorithm> algorithm, int n, long m, int seeds,
      long baseSeed) {
    Objects.requireNonNull(algorithm, "algorithm");
    if (n < 1 || m < 1 || seeds < 1) {
      throw new IllegalArgumentException("n, m and seeds must be positive: " + n + ", " + m + ", " + seeds);
    }
    double[] ratio = new double[seeds];
    double[] cv = new double[seeds];
    double[] gap = new double[seeds];
    for (int s = 0; s < seeds; s++) {
      double[] loads = place(algorithm.apply(baseSeed + s), n, m);
      ratio[s] = Stats.maxOverMean(loads);
      cv[s] = Stats.cv(loads);
      gap[s] = ratio[s] * m / n - (double) m / n;
    }
    return new Result(label, n, m, seeds, Stats.mean(ratio), Stats.sampleStdDev(ratio), Stats.mean(cv),
        Stats.sampleStdDev(cv), Stats.mean(gap));
  }

  /** One placement: the final load of each of the n servers. */
  static double[] place(BalancingAlgorithm algorithm, int n, long m) {
    // A fixed clock: nothing here may depend on wall time (slow start, the only reader, is not configured).
    ServerSet set = new ServerSet(() -> 0L);
    for (int i = 0; i < n; i++) {
      set.add("s" + i, 1);
    }
    Picker picker = algorithm.newPicker(set);
    for (long r = 0; r < m; r++) {
      int id = picker.pick(0, Picker.SKIP_NONE);
      set.started(id);
    }
    double[] loads = new double[n];
    for (int i = 0; i < n; i++) {
      loads[i] = set.inFlight(i);
    }
    return loads;
  }
}

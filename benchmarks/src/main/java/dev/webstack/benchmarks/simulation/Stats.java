package dev.webstack.benchmarks.simulation;

import java.util.Arrays;

/**
 * The distribution metrics of balancing.md §5.2, computed the same way everywhere in the simulation so that the
 * three parts (balls into bins, queueing, key movement) and the reference table speak the same language.
 */
final class Stats {

  private Stats() {}

  /** The arithmetic mean; 0 for no values. */
  static double mean(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /**
   * max ÷ mean, the "imbalance factor": how much more the busiest server gets than it would under a perfect split.
   * NaN when the mean is 0 (no load at all has no imbalance).
   */
  static double maxOverMean(double[] values) {
    double mean = mean(values);
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return mean == 0 ? Double.NaN : max / mean;
  }

  /**
   * Coefficient of variation, population standard deviation ÷ mean (Envoy's "relative standard deviation"). The
   * population form (divide by n, not n − 1) is the one whose expectation for one random choice is exactly
   * √((n − 1) ÷ m), the value the theory and §5.3 quote.
   */
  static double cv(double[] values) {
    double mean = mean(values);
    if (mean == 0) {
      return Double.NaN;
    }
    double sq = 0;
    for (double v : values) {
      sq += (v - mean) * (v - mean);
    }
    return Math.sqrt(sq / values.length) / mean;
  }

  /** The sample standard deviation (n − 1): the spread of a metric over seeds, for error bars. */
  static double sampleStdDev(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double mean = mean(values);
    double sq = 0;
    for (double v : values) {
      sq += (v - mean) * (v - mean);
    }
    return Math.sqrt(sq / (values.length - 1));
  }

  /**
   * The q-quantile of already sorted values by the nearest-rank rule (the smallest value with at least q of the
   * values at or below it), the rule latency percentiles usually follow; no interpolation, so p99 is a value that
   * was actually observed.
   */
  static double quantileOfSorted(double[] sorted, int length, double q) {
    if (length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * length);
    return sorted[Math.min(length, Math.max(1, rank)) - 1];
  }

  static double[] toDoubles(int[] values) {
    return Arrays.stream(values).asDoubleStream().toArray();
  }
}

package dev.webstack.benchmarks.simulation;

import java.util.SplittableRandom;

/**
 * How much work a request brings, in units where the mean is 1 and a speed-1 server does one unit per unit of
 * time. Both models have mean 1 so that a utilization translates into the same arrival rate; they differ in
 * variability, which is what separates balancers that count requests from ones that watch queues.
 */
public enum CostModel {

  /** Exponential with mean 1: squared coefficient of variation 1, the M/M/1 textbook case with known answers. */
  EXPONENTIAL {
    @Override
    public double sample(SplittableRandom random) {
      return -Math.log(1 - random.nextDouble());
    }

    @Override
    public double scv() {
      return 1;
    }
  },

  /**
   * 95 % cheap requests of cost 0.5 and 5 % expensive ones of cost 10.5 (mean 1, squared CV 4.75): a page view vs
   * a report, where counting requests says little about the work a server holds.
   */
  BIMODAL {
    @Override
    public double sample(SplittableRandom random) {
      return random.nextDouble() < 0.95 ? 0.5 : 10.5;
    }

    @Override
    public double scv() {
      return 4.75;
    }
  };

  /** One request's cost; consumes exactly one draw, so every algorithm sees the same stream. */
  public abstract double sample(SplittableRandom random);

  /** The squared coefficient of variation, variance ÷ mean². */
  public abstract double scv();

  /** The mean cost, 1 for both models. */
  public double mean() {
    return 1;
  }
}

package dev.webstack.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.webstack.balancer.BalancingAlgorithm;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Part 2: the event engine against queueing theory where theory has answers, then the claim the simulation is
 * for, that load-aware algorithms beat request-counting and random ones on tail latency when servers differ.
 */
class QueueingSimulationTest {

  private static final double[] TIERS = {1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4};
  private static final Contender RANDOM = new Contender("random(1)", BalancingAlgorithm::random);
  private static final Contender TWO = new Contender("random(2)", BalancingAlgorithm::powerOfTwoChoices);
  private static final Contender LEASTCONN = Contender.of("leastconn", BalancingAlgorithm.leastConnections());
  private static final Contender SWRR = Contender.of("swrr", BalancingAlgorithm.nginxRoundRobin());
  private static final Contender FWRR = Contender.of("fwrr", BalancingAlgorithm.haproxyRoundRobin());

  /**
   * Speed-weighted random dispatch splits a Poisson stream into Poisson streams, one M/M/1 (or M/G/1) queue per
   * server at utilization ρ: mean sojourn and p99 have closed forms ({@link Theory}). Tolerances are three to
   * four times the sampling error of 90 000 measured requests at ρ = 0.5 (standard deviations over twelve seeds:
   * about 1.5 % on the mean, 3 % on the p99, 3 % on the bimodal mean, whose rare long requests make it noisier).
   */
  @Test
  void randomDispatchReproducesMm1AndPollaczekKhinchine() {
    QueueingSimulation.Result exp = QueueingSimulation.run(RANDOM, config(0.5, CostModel.EXPONENTIAL, 100_000), 1);
    QueueingSimulation.Result bimodal = QueueingSimulation.run(RANDOM, config(0.5, CostModel.BIMODAL, 100_000), 1);

    double mean = Theory.randomDispatchMeanSojourn(TIERS, 0.5, 1); // 12 ÷ 28 ÷ 0.5 = 0.857
    double p99 = Theory.randomDispatchSojournQuantile(TIERS, 0.5, 0.99);
    assertThat(exp.meanLatency()).isCloseTo(mean, within(0.06 * mean));
    assertThat(exp.p99Latency()).isCloseTo(p99, within(0.10 * p99));
    double pk = Theory.randomDispatchMeanSojourn(TIERS, 0.5, CostModel.BIMODAL.scv());
    assertThat(bimodal.meanLatency()).isCloseTo(pk, within(0.10 * pk));
    assertThat(exp.workMaxOverMean()).isLessThan(1.1);
  }

  @Test
  void loadAwareAlgorithmsBeatWeightedRoundRobinAndRandomOnP99() {
    for (CostModel cost : CostModel.values()) {
      QueueingSimulation.Config config = config(0.9, cost, 60_000);
      double leastconn = QueueingSimulation.run(LEASTCONN, config, 1).p99Latency();
      double two = QueueingSimulation.run(TWO, config, 1).p99Latency();
      double swrr = QueueingSimulation.run(SWRR, config, 1).p99Latency();
      double fwrr = QueueingSimulation.run(FWRR, config, 1).p99Latency();
      double random = QueueingSimulation.run(RANDOM, config, 1).p99Latency();

      double bestBlind = Math.min(Math.min(swrr, fwrr), random);
      assertThat(leastconn).as("leastconn p99, %s cost", cost).isLessThan(0.5 * bestBlind);
      assertThat(two).as("random(2) p99, %s cost", cost).isLessThan(0.5 * bestBlind);
    }
  }

  @Test
  void withoutWeightsOnlyQueueWatchersKeepTheSlowServersStable() {
    QueueingSimulation.Config unweighted = new QueueingSimulation.Config("speeds unknown", TIERS, false, 0.7,
        CostModel.EXPONENTIAL, 40_000, 0.1, 5);

    // Equal shares give a speed-1 server 28 ÷ 12 × 0.7 = 1.63 times its capacity.
    QueueingSimulation.Result rr = QueueingSimulation.run(
        Contender.of("roundrobin", BalancingAlgorithm.roundRobin()), unweighted, 1);
    QueueingSimulation.Result leastconn = QueueingSimulation.run(LEASTCONN, unweighted, 1);
    QueueingSimulation.Result two = QueueingSimulation.run(TWO, unweighted, 1);

    assertThat(rr.saturated()).isTrue();
    assertThat(rr.maxUtilization()).isCloseTo(28.0 / 12 * 0.7, within(0.1));
    assertThat(leastconn.saturated()).isFalse();
    assertThat(two.saturated()).isFalse();
    assertThat(leastconn.p99Latency()).isLessThan(rr.p99Latency() / 10);
  }

  @Test
  void sameSeedSameResultAndEveryAlgorithmSeesTheSameWorkload() {
    QueueingSimulation.Config config = config(0.7, CostModel.BIMODAL, 5_000);

    QueueingSimulation.Result a = QueueingSimulation.run(TWO, config, 2);
    QueueingSimulation.Result b = QueueingSimulation.run(TWO, config, 2);
    QueueingSimulation.Result other = QueueingSimulation.run(SWRR, config, 2);

    assertThat(a.p99Latency()).isEqualTo(b.p99Latency());
    assertThat(a.meanLatency()).isEqualTo(b.meanLatency());
    assertThat(a.requestsPerServer()).isEqualTo(b.requestsPerServer());
    // Common random numbers: the same requests with the same costs, only split differently.
    assertThat(Arrays.stream(other.workPerServer()).sum())
        .isCloseTo(Arrays.stream(a.workPerServer()).sum(), within(1e-6));
    assertThat(Arrays.stream(other.requestsPerServer()).sum()).isEqualTo(a.requestsMeasured());
  }

  @Test
  void everyScenarioOfTheReportRunsWithEveryAlgorithm() {
    for (QueueingSimulation.Config config : DistributionSimulation.queueingScenarios(2_000, 3)) {
      for (Contender c : DistributionSimulation.queueingContenders()) {
        QueueingSimulation.Result r = QueueingSimulation.run(c, config, 1);
        assertThat(r.requestsMeasured()).as("%s / %s", c.label(), config.name()).isEqualTo(1_800);
        assertThat(r.p99Latency()).isGreaterThanOrEqualTo(r.p50Latency()).isPositive();
      }
    }
  }

  private static QueueingSimulation.Config config(double rho, CostModel cost, int requests) {
    return new QueueingSimulation.Config("test", TIERS, true, rho, cost, requests, 0.1, 1234);
  }
}

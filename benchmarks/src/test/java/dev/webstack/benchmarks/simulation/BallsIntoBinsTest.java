package dev.webstack.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.webstack.balancer.BalancingAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Part 1 against theory and against balancing.md §5.3: the acceptance criterion "two choices' max/mean clearly
 * below random's at n = 1000" and the multinomial CV. Tolerances are statistical: the simulation is a mean over 20
 * seeds with a standard error of sd ÷ √20, and so is the reference, so they may differ by about √2 standard
 * errors; four of those plus 2 % is a bound a correct simulation stays within for any seed.
 */
class BallsIntoBinsTest {

  private static final int SEEDS = DistributionSimulation.BALLS_SEEDS;
  private static final long SEED = DistributionSimulation.DEFAULT_SEED;

  @Test
  void randomCvMatchesMultinomialTheoryAtHundredServers() {
    BallsIntoBins.Result random = BallsIntoBins.run("random(1)", BalancingAlgorithm::random, 100, 10_000, SEEDS,
        SEED);

    double theory = Theory.randomCv(100, 10_000); // √(99 ÷ 10000) = 0.0995
    assertThat(random.cv()).isCloseTo(theory, within(0.15 * theory));
    assertReference(random.cv(), random.cvSd(), DistributionSimulation.reference(100, 10_000).orElseThrow()
        .randomCv());
  }

  @ParameterizedTest(name = "n = 1000, m = {0}")
  @ValueSource(longs = {1_000, 10_000})
  void twoChoicesMaxOverMeanIsClearlyBelowRandomsAtThousandServers(long m) {
    BallsIntoBins.Result random = BallsIntoBins.run("random(1)", BalancingAlgorithm::random, 1000, m, SEEDS, SEED);
    BallsIntoBins.Result two = BallsIntoBins.run("random(2)", BalancingAlgorithm::powerOfTwoChoices, 1000, m,
        SEEDS, SEED);

    // "Clearly": the gap is many standard errors wide, and two choices' excess over the mean at most 60 % of random's.
    double standardErrors = (random.maxOverMeanSd() + two.maxOverMeanSd()) / Math.sqrt(SEEDS);
    assertThat(two.maxOverMean() + 5 * standardErrors).isLessThan(random.maxOverMean());
    assertThat(two.maxOverMean() - 1).isLessThan(0.6 * (random.maxOverMean() - 1));
    assertThat(two.cv()).isLessThan(0.75 * random.cv());

    DistributionSimulation.Reference ref = DistributionSimulation.reference(1000, m).orElseThrow();
    assertReference(random.maxOverMean(), random.maxOverMeanSd(), ref.randomMaxOverMean());
    assertReference(random.cv(), random.cvSd(), ref.randomCv());
    assertReference(two.maxOverMean(), two.maxOverMeanSd(), ref.twoChoicesMaxOverMean());
    assertReference(two.cv(), two.cvSd(), ref.twoChoicesCv());
  }

  @Test
  void twoChoicesFollowTheFluidLimitAndRandomThePoissonMaximum() {
    BallsIntoBins.Result random = BallsIntoBins.run("random(1)", BalancingAlgorithm::random, 1000, 10_000, SEEDS,
        SEED);
    BallsIntoBins.Result two = BallsIntoBins.run("random(2)", BalancingAlgorithm::powerOfTwoChoices, 1000, 10_000,
        SEEDS, SEED);

    assertReference(random.maxOverMean(), random.maxOverMeanSd(), Theory.randomMaxOverMean(1000, 10_000));
    assertReference(two.maxOverMean(), two.maxOverMeanSd(), Theory.choicesMaxOverMean(2, 1000, 10_000));
    assertThat(two.cv()).isCloseTo(Theory.choicesCv(2, 1000, 10_000), within(0.1 * two.cv()));
  }

  @Test
  void theoryReproducesTheTextbookValues() {
    // Gonnet: the expected max of n balls in n bins is about 5.5 at n = 1000 (ln n ÷ ln ln n = 3.6 is only the
    // leading term); ABKU: two choices' max for m = n is ln ln n ÷ ln 2 + O(1), i.e. 3 at n = 1000.
    assertThat(Theory.randomMaxOverMean(1000, 1000)).isBetween(5.2, 5.8);
    assertThat(Theory.choicesMaxOverMean(2, 1000, 1000)).isBetween(2.9, 3.2);
    // The one-choice fluid limit is the Poisson distribution: CV √(n ÷ m) for large n.
    assertThat(Theory.choicesCv(1, 100_000, 1_000_000)).isCloseTo(Math.sqrt(0.1), within(1e-3));
    // In the long run two choices' gap above the mean stays bounded while random's grows like √(m ln n ÷ n).
    assertThat(Theory.choicesMaxOverMean(2, 1000, 100_000) * 100 - 100).isLessThan(4);
  }

  @Test
  void aRunReplaysExactlyFromItsSeed() {
    BallsIntoBins.Result a = BallsIntoBins.run("random(2)", BalancingAlgorithm::powerOfTwoChoices, 100, 1000, 5, 7);
    BallsIntoBins.Result b = BallsIntoBins.run("random(2)", BalancingAlgorithm::powerOfTwoChoices, 100, 1000, 5, 7);

    assertThat(a).isEqualTo(b);
  }

  /** |actual − expected| within four standard errors of a difference of two 20-seed means, plus 2 %. */
  private static void assertReference(double actual, double sdOverSeeds, double expected) {
    double tolerance = 4 * Math.sqrt(2) * sdOverSeeds / Math.sqrt(SEEDS) + 0.02 * expected;
    assertThat(actual).isCloseTo(expected, within(tolerance));
  }
}

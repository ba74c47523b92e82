package dev.webstack.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.HashKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Part 3: a consistent-hash ring and a Maglev table move about 1/n of the keys when one of n servers leaves (only
 * the leaving server's keys, plus for Maglev a few table entries that shift), while HAProxy's map-based hash
 * moves nearly all of them, because {@code hash % n} changes for almost every key when n does.
 */
class KeyMovementTest {

  private static final HashKey KEY = HashKey.sourceIp();
  private static final long[] KEYS = KeyMovement.randomKeys(DistributionSimulation.MOVEMENT_KEYS, 11);
  /** A few servers removed in turn, enough to see the spread without the test taking seconds. */
  private static final int SAMPLES = 4;

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {10, 100})
  void ringAndMaglevMoveAboutOneNthOfTheKeysOnARemoval(int n) {
    KeyMovement.Result ring = remove(BalancingAlgorithm.consistentHash(KEY), n);
    KeyMovement.Result maglev = remove(BalancingAlgorithm.maglev(KEY), n);

    for (KeyMovement.Result r : new KeyMovement.Result[] {ring, maglev}) {
      assertThat(r.meanMoved()).as(r.algorithm()).isBetween(0.5 / n, 2.0 / n);
      assertThat(r.minMoved()).as(r.algorithm()).isGreaterThan(0.25 / n);
      assertThat(r.maxMoved()).as(r.algorithm()).isLessThan(2.0 / n);
    }
    // The ring moves exactly the removed server's keys and nothing else.
    assertThat(ring.meanNeedless()).isZero();
    assertThat(maglev.meanNeedless()).isLessThan(0.75 / n);
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {10, 100})
  void mapBasedHashMovesNearlyEveryKey(int n) {
    KeyMovement.Result map = remove(BalancingAlgorithm.hash(KEY), n);

    assertThat(map.meanMoved()).isGreaterThan(1 - 1.5 / n).isGreaterThan(5.0 / n);
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {10, 100})
  void aJoiningServerTakesAboutItsShareFromTheRingAndMaglev(int n) {
    for (BalancingAlgorithm algorithm : new BalancingAlgorithm[] {
        BalancingAlgorithm.consistentHash(KEY), BalancingAlgorithm.maglev(KEY)}) {
      KeyMovement.Result r = KeyMovement.measure(algorithm.name(), algorithm, KeyMovement.Change.JOIN, n, KEYS,
          SAMPLES);
      assertThat(r.meanMoved()).as(r.algorithm()).isBetween(0.5 / (n + 1), 2.0 / (n + 1));
    }
    KeyMovement.Result map = KeyMovement.measure("map", BalancingAlgorithm.hash(KEY), KeyMovement.Change.JOIN, n,
        KEYS, SAMPLES);
    assertThat(map.meanMoved()).isGreaterThan(0.8);
  }

  private static KeyMovement.Result remove(BalancingAlgorithm algorithm, int n) {
    return KeyMovement.measure(algorithm.name(), algorithm, KeyMovement.Change.REMOVE, n, KEYS, SAMPLES);
  }
}

package dev.webstack.benchmarks.simulation;

import dev.webstack.balancer.BalancingAlgorithm;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * An algorithm under test with the label the tables print. The algorithm is made per seed because the random
 * ones ({@code random(1)}, {@code random(2)}) replay one sequence per seed: each replication must get its own,
 * and the same replication must get the same one in every run.
 */
public record Contender(String label, LongFunction<BalancingAlgorithm> algorithm) {

  public Contender {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(algorithm, "algorithm");
  }

  /** A contender that needs no seed (round robin, least connections, the hashes). */
  public static Contender of(String label, BalancingAlgorithm algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    return new Contender(label, seed -> algorithm);
  }
}

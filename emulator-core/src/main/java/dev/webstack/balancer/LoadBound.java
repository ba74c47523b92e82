package dev.webstack.balancer;

import static dev.webstack.internal.Checks.checkArgument;

import java.util.function.IntPredicate;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam, arXiv 1608.01350), as HAProxy's {@code
 * hash-balance-factor} and Envoy's {@code hash_balance_factor} apply it: no server may take a request that would
 * put it above {@code factor}% of the average load, and a key whose server is full walks on to the next server in
 * the table that is under its bound.
 *
 * <p>The bound is HAProxy's {@code chash_server_is_eligible} exactly: {@code ceil((in flight + 1) × factor ÷
 * 100)} slots in all, shared among the servers in proportion to their effective weight (HAProxy's {@code
 * cur_eweight}, weight × 16) with the remainder spread by cumulative weight, and at least one slot each; a
 * server is eligible while its in-flight count is below its slots. "In flight" is the sum over every server of
 * the set, as HAProxy counts the backend's {@code served}. Envoy's bound differs by one (it admits a host while
 * its active requests are not above its slots) and its overflow probes with random jumps instead of walking.
 */
final class LoadBound {

  private static final int WEIGHT_SCALE = 16;

  private final int factorPercent;

  private LoadBound(int factorPercent) {
    this.factorPercent = factorPercent;
  }

  /** {@code hashing} with bounded loads; see {@link BalancingAlgorithm#boundedLoad}. */
  static BalancingAlgorithm algorithm(BalancingAlgorithm hashing, int balanceFactorPercent) {
    checkArgument(hashing != null, "hashing algorithm must not be null");
    checkArgument(balanceFactorPercent > 100,
        "balanceFactorPercent (%s) must be above 100, e.g. 150 for 1.5 × the average load",
        balanceFactorPercent);
    // static-rr's picker walks the same map but in turn (it never hashes): not one of the algorithms accepted.
    checkArgument(hashing.newPicker(new ServerSet()) instanceof HashPicker p && p.hashes(),
        "bounded load needs a table-walking hash algorithm (hash, consistentHash or maglev), got %s",
        hashing.name());
    LoadBound bound = new LoadBound(balanceFactorPercent);
    return new Algorithm(hashing.name() + " hash-balance-factor " + balanceFactorPercent, hashing.hashKey(),
        servers -> new BoundedPicker((HashPicker) hashing.newPicker(servers), bound));
  }

  /** The slots the whole set may hold once this request is counted. */
  long totalSlots(ServerSet servers) {
    long inFlight = servers.totalInFlight(); // kept by the set, so the bound costs O(1) rather than O(n)
    return ((inFlight + 1) * factorPercent + 99) / 100;
  }

  /** True while server {@code id} holds fewer requests than its share of {@code totalSlots}. */
  boolean admits(ServerSet servers, Weights weights, int id, long totalSlots) {
    long total = weights.total() * WEIGHT_SCALE;
    long weight = (long) weights.weight(id) * WEIGHT_SCALE;
    if (total == 0 || weight == 0) {
      return true;
    }
    long cumulative = weights.before(id) * WEIGHT_SCALE;
    long remainder = totalSlots % total;
    long slots = weight * (totalSlots / total)
        + (cumulative + weight) * remainder / total - cumulative * remainder / total;
    return servers.inFlight(id) < Math.max(1, slots);
  }

  /** A hashing picker whose walk passes over servers at their bound. */
  private static final class BoundedPicker implements Picker {
    private final HashPicker hashing;
    private final LoadBound bound;

    BoundedPicker(HashPicker hashing, LoadBound bound) {
      this.hashing = hashing;
      this.bound = bound;
    }

    @Override
    public int pick(long key, IntPredicate skip) {
      return hashing.pick(key, skip, bound);
    }
  }
}

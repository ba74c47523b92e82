package dev.webstack.balancer;

/**
 * The weights one picker balances with, read from a {@link ServerSet} at one moment: per server id, 0 for a
 * server that gets no balanced traffic (down, removed, drained). Immutable, so lock-free pickers can share it.
 *
 * <p>Dynamic algorithms read {@linkplain ServerSet#effectiveWeight effective} weights, which ramp during slow
 * start; static ones (HAProxy's map-based algorithms, Envoy's Maglev) read the configured weight of each
 * available server, as the real balancers do.
 */
final class Weights implements LazyTable.Table {

  private final int[] weights;
  /** Per id: the sum of the weights of this id and all lower ones; nondecreasing. */
  private final long[] ends;

  private Weights(int[] weights) {
    this.weights = weights;
    this.ends = new long[weights.length];
    long sum = 0;
    for (int id = 0; id < weights.length; id++) {
      sum += weights[id];
      ends[id] = sum;
    }
  }

  /** Reads every server's weight now. */
  static Weights read(ServerSet servers, boolean followSlowStart) {
    int[] weights = new int[servers.size()];
    for (int id = 0; id < weights.length; id++) {
      weights[id] = now(servers, id, followSlowStart);
    }
    return new Weights(weights);
  }

  /** One server's weight now: effective (ramping) or configured, 0 when it gets no balanced traffic. */
  static int now(ServerSet servers, int id, boolean followSlowStart) {
    if (followSlowStart) {
      return servers.effectiveWeight(id);
    }
    return servers.isAvailable(id) ? servers.weight(id) : 0;
  }

  /** True when reading the weights now would give these ones; allocates nothing. */
  boolean matches(ServerSet servers, boolean followSlowStart) {
    if (servers.size() != weights.length) {
      return false;
    }
    for (int id = 0; id < weights.length; id++) {
      if (now(servers, id, followSlowStart) != weights[id]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Weights weights() {
    return this;
  }

  /** How many ids were read, removed servers included. */
  int size() {
    return weights.length;
  }

  int weight(int id) {
    return id < weights.length ? weights[id] : 0;
  }

  /** The sum of the weights of the servers with a lower id (HAProxy's {@code cumulative_weight}). */
  long before(int id) {
    return id < weights.length ? ends[id] - weights[id] : total();
  }

  long total() {
    return weights.length == 0 ? 0 : ends[weights.length - 1];
  }

  /**
   * The server owning point {@code x} of {@code [0, total)} when each server owns a run of points as long as its
   * weight, in id order (nginx's {@code ranges}): a weighted draw in O(log n).
   */
  int idAt(long x) {
    int lo = 0;
    int hi = ends.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}

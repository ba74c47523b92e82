package dev.webstack.balancer;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * nginx's smooth weighted round robin ({@code ngx_http_upstream_get_peer}, nginx 1.3.1 on); see {@link
 * BalancingAlgorithm#nginxRoundRobin()}. Each pick adds every eligible server's effective weight to its current
 * weight, takes the highest current weight (first in configuration order on a tie) and lowers the winner's by
 * the sum of the weights added. O(n) per pick under one lock, as nginx does per worker.
 */
final class SmoothWeightedRoundRobin implements Picker {

  static final BalancingAlgorithm ALGORITHM = new Algorithm("swrr", SmoothWeightedRoundRobin::new);

  private final ServerSet servers;
  private long[] current = new long[0];

  private SmoothWeightedRoundRobin(ServerSet servers) {
    this.servers = Objects.requireNonNull(servers, "servers");
  }

  @Override
  public synchronized int pick(long key, IntPredicate skip) {
    int n = servers.size();
    if (current.length < n) {
      current = Arrays.copyOf(current, n); // a server was added: it starts from 0, as a new peer does
    }
    long total = 0;
    int best = -1;
    for (int id = 0; id < n; id++) {
      int weight = servers.effectiveWeight(id);
      if (weight == 0 || skip.test(id)) {
        continue;
      }
      current[id] += weight;
      total += weight;
      if (best < 0 || current[id] > current[best]) {
        best = id;
      }
    }
    if (best >= 0) {
      current[best] -= total;
    }
    return best;
  }
}

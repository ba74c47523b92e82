package dev.webstack.balancer;

import java.util.Objects;
import java.util.function.IntPredicate;

/** HAProxy's {@code balance first}: the lowest id that can take the request; see {@link BalancingAlgorithm#first()}. */
final class FirstAvailable implements Picker {

  static final BalancingAlgorithm ALGORITHM = new Algorithm("first", FirstAvailable::new);

  private final ServerSet servers;

  private FirstAvailable(ServerSet servers) {
    this.servers = Objects.requireNonNull(servers, "servers");
  }

  @Override
  public int pick(long key, IntPredicate skip) {
    int n = servers.size();
    for (int id = 0; id < n; id++) {
      if (servers.isAvailable(id) && !skip.test(id)) {
        return id;
      }
    }
    return -1;
  }
}

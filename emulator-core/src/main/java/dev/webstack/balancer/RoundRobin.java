package dev.webstack.balancer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/** Plain round robin, weights ignored; see {@link BalancingAlgorithm#roundRobin()}. */
final class RoundRobin implements BalancingAlgorithm {

  static final RoundRobin ALGORITHM = new RoundRobin();

  @Override
  public String name() {
    return "roundrobin";
  }

  @Override
  public Picker newPicker(ServerSet servers) {
    return new RoundRobinPicker(servers);
  }

  @Override
  public String toString() {
    return name();
  }

  private static final class RoundRobinPicker implements Picker {
    private final ServerSet servers;
    // A long never wraps in practice, so % n never goes negative (Undertow's int counter does after 2^31 picks).
    private final AtomicLong next = new AtomicLong();

    RoundRobinPicker(ServerSet servers) {
      this.servers = servers;
    }

    @Override
    public int pick(long key, IntPredicate skip) {
      int n = servers.size();
      long start = next.getAndIncrement();
      for (int i = 0; i < n; i++) {
        int candidate = (int) ((start + i) % n);
        if (servers.isAvailable(candidate) && !skip.test(candidate)) {
          if (i > 0) {
            // Skipping a server moves the cycle past it, as HAProxy does, so the next pick follows the chosen one.
            next.addAndGet(i);
          }
          return candidate;
        }
      }
      return -1;
    }
  }
}

package dev.webstack.balancer;

import java.util.concurrent.atomic.AtomicInteger;
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
    // The next position, always in [0, n): advanced by compare-and-set with a wrap instead of a counter taken
    // modulo n, so there is no division on the hot path and the cycle stays exact forever (Undertow's
    // incrementAndGet() % n goes negative after 2^31 picks).
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinPicker(ServerSet servers) {
      this.servers = servers;
    }

    @Override
    public int pick(long key, IntPredicate skip) {
      int n = servers.size();
      while (true) {
        int observed = next.get();
        int candidate = observed < n ? observed : 0;
        int found = -1;
        for (int i = 0; i < n; i++) {
          if (servers.isAvailable(candidate) && !skip.test(candidate)) {
            found = candidate;
            break;
          }
          candidate = candidate + 1 == n ? 0 : candidate + 1;
        }
        if (found < 0) {
          return -1;
        }
        // Skipping a server moves the cycle past it, as HAProxy does, so the next pick follows the chosen one.
        if (next.compareAndSet(observed, found + 1 == n ? 0 : found + 1)) {
          return found;
        }
        // Another pick moved the cycle meanwhile: start again from where it is now.
      }
    }
  }
}

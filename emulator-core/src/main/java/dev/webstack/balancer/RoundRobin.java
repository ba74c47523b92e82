package dev.webstack.balancer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/** Plain round robin with equal weights; see {@link BalancingAlgorithm#roundRobin()}. */
final class RoundRobin implements BalancingAlgorithm {

  static final RoundRobin ALGORITHM = new RoundRobin();

  @Override
  public String name() {
    return "roundrobin";
  }

  @Override
  public Picker newPicker(int serverCount) {
    return new RoundRobinPicker(serverCount);
  }

  @Override
  public String toString() {
    return name();
  }

  private static final class RoundRobinPicker implements Picker {
    private final int n;
    // A long never wraps in practice, so % n never goes negative (Undertow's int counter does after 2^31 picks).
    private final AtomicLong next = new AtomicLong();

    RoundRobinPicker(int n) {
      this.n = n;
    }

    @Override
    public int pick(IntPredicate available) {
      long start = next.getAndIncrement();
      for (int i = 0; i < n; i++) {
        int candidate = (int) ((start + i) % n);
        if (available.test(candidate)) {
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

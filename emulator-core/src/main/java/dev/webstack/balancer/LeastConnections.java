package dev.webstack.balancer;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * HAProxy's {@code leastconn} ({@code src/lb_fwlc.c}); see {@link BalancingAlgorithm#leastConnections()}. The
 * key is {@code (inFlight + 1) × 4096 ÷ (weight × 16)}, or 0 for a server with nothing in flight; the lowest key
 * wins. Among equal keys HAProxy takes the server that entered its tree position first (an eb32 tree keeps
 * duplicates in insertion order, and a server is repositioned whenever its load changes); this picker stamps a
 * server when it is picked, when it becomes available, and when a scan finds its in-flight count changed, and
 * takes the oldest stamp. O(n) per pick under one lock.
 */
final class LeastConnections implements Picker {

  static final BalancingAlgorithm ALGORITHM = new Algorithm("leastconn", LeastConnections::new);

  private static final long EWEIGHT_MAX = 4096;
  private static final long WEIGHT_SCALE = 16;

  private final ServerSet servers;
  private long[] queuedAt = new long[0];
  private int[] lastInFlight = new int[0];
  private boolean[] wasAvailable = new boolean[0];
  private long clock;

  private LeastConnections(ServerSet servers) {
    this.servers = Objects.requireNonNull(servers, "servers");
  }

  @Override
  public synchronized int pick(long key, IntPredicate skip) {
    int n = servers.size();
    if (queuedAt.length < n) {
      queuedAt = Arrays.copyOf(queuedAt, n);
      lastInFlight = Arrays.copyOf(lastInFlight, n);
      wasAvailable = Arrays.copyOf(wasAvailable, n);
    }
    int best = -1;
    long bestKey = 0;
    for (int id = 0; id < n; id++) {
      int weight = servers.effectiveWeight(id);
      int inFlight = servers.inFlight(id);
      boolean available = weight > 0;
      if (available && (!wasAvailable[id] || inFlight != lastInFlight[id])) {
        queuedAt[id] = ++clock; // requeued behind its equals, as fwlc_queue_srv / fwlc_srv_reposition do
      }
      wasAvailable[id] = available;
      lastInFlight[id] = inFlight;
      if (!available || skip.test(id)) {
        continue;
      }
      long k = inFlight <= 0 ? 0 : (inFlight + 1L) * EWEIGHT_MAX / (weight * WEIGHT_SCALE);
      if (best < 0 || k < bestKey || (k == bestKey && queuedAt[id] < queuedAt[best])) {
        best = id;
        bestKey = k;
      }
    }
    if (best >= 0) {
      queuedAt[best] = ++clock;
    }
    return best;
  }
}

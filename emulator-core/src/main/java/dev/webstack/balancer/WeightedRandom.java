package dev.webstack.balancer;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * Weighted random choice with one draw, or the better of two distinct draws (power of two choices); see {@link
 * BalancingAlgorithm#random()} and {@link BalancingAlgorithm#powerOfTwoChoices()}.
 *
 * <p>A draw is nginx's {@code ngx_http_upstream_peek_random_peer}: a number below the total effective weight,
 * mapped to the server owning that point by binary search. A draw that hits a skipped server (or, for the second
 * draw, the first server again) is retried, up to nginx's 20 tries; after that one draw is made over the eligible
 * servers only, so a skipped server is never returned (nginx falls back to its round robin instead). With two
 * draws the second is kept unless its {@code inFlight ÷ weight} is strictly higher, the tie rule of both nginx's
 * {@code random two} and HAProxy's {@code get_server_rnd}.
 *
 * <p>The generator is SplitMix64 on one {@link AtomicLong} per picker: lock-free and thread-safe, and a
 * single-threaded run replays exactly from its seed.
 */
final class WeightedRandom implements Picker {

  private static final long DEFAULT_SEED = BalancingAlgorithm.DEFAULT_SEED;

  private static final int MAX_TRIES = 20;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final ServerSet servers;
  private final LazyTable<Weights> weights;
  private final int draws;
  private final AtomicLong state;

  WeightedRandom(ServerSet servers, int draws, long seed) {
    this.servers = Objects.requireNonNull(servers, "servers");
    this.weights = new LazyTable<>(servers, true, w -> w);
    this.draws = draws;
    this.state = new AtomicLong(seed);
  }

  static BalancingAlgorithm algorithm(int draws, long seed) {
    return new Algorithm("random(" + draws + ")", servers -> new WeightedRandom(servers, draws, seed));
  }

  /** Seeded by the stack that runs it, or with the default seed outside a stack. */
  static BalancingAlgorithm stackSeeded(int draws) {
    return new StackSeeded(draws);
  }

  private record StackSeeded(int draws) implements BalancingAlgorithm {
    @Override
    public String name() {
      return "random(" + draws + ")";
    }

    @Override
    public Picker newPicker(ServerSet servers) {
      return new WeightedRandom(servers, draws, DEFAULT_SEED);
    }

    @Override
    public Picker newPicker(ServerSet servers, long stackSeed) {
      return new WeightedRandom(servers, draws, stackSeed);
    }

    @Override
    public String toString() {
      return name();
    }
  }

  @Override
  public int pick(long key, IntPredicate skip) {
    Weights w = weights.get();
    if (w.total() == 0) {
      return -1;
    }
    int first = draw(w, skip, -1);
    if (draws == 1 || first < 0) {
      return first;
    }
    int second = draw(w, skip, first);
    if (second < 0) {
      return first;
    }
    long firstLoad = (long) servers.inFlight(first) * w.weight(second);
    long secondLoad = (long) servers.inFlight(second) * w.weight(first);
    return secondLoad > firstLoad ? first : second;
  }

  private int draw(Weights w, IntPredicate skip, int other) {
    for (int tries = 0; tries < MAX_TRIES; tries++) {
      int id = w.idAt(below(w.total()));
      if (id != other && eligible(id, skip)) {
        return id;
      }
    }
    long total = 0;
    for (int id = 0; id < w.size(); id++) {
      if (id != other && w.weight(id) > 0 && eligible(id, skip)) {
        total += w.weight(id);
      }
    }
    if (total == 0) {
      return -1;
    }
    long x = below(total);
    for (int id = 0; id < w.size(); id++) {
      if (id != other && w.weight(id) > 0 && eligible(id, skip)) {
        if (x < w.weight(id)) {
          return id;
        }
        x -= w.weight(id);
      }
    }
    return -1; // not reached unless the set changed under the scan
  }

  private boolean eligible(int id, IntPredicate skip) {
    return servers.isAvailable(id) && !skip.test(id);
  }

  /** A uniform number in {@code [0, bound)} from the next SplitMix64 output (bias below bound ÷ 2^64). */
  private long below(long bound) {
    long z = state.addAndGet(GOLDEN_GAMMA);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return Long.remainderUnsigned(z ^ (z >>> 31), bound);
  }
}

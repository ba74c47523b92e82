package dev.webstack.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Every random choice a stack makes comes from here, derived from the stack's one seed. Each purpose (a node's
 * fault decisions, an algorithm's picks, a link's jitter) gets its own stream, derived from the seed and the
 * purpose's name, so one component's draws never shift another's: the same seed replays the same decisions as
 * long as each component sees the same sequence of events.
 */
public final class Randomness {

  private final long seed;

  public Randomness(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** A new stream for {@code purpose}; the same seed and purpose always give the same stream. Not thread-safe. */
  public SplittableRandom stream(String purpose) {
    return new SplittableRandom(streamSeed(purpose));
  }

  /** The seed of {@code purpose}'s stream, for APIs that take a seed (for example the random algorithms). */
  public long streamSeed(String purpose) {
    long h = 1125899906842597L;
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    return mix(seed ^ mix(h));
  }

  /** Stafford's variant 13 of the SplitMix64 finalizer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}

package dev.webstack.balancer;

import java.util.Arrays;

/**
 * Envoy's weighted Maglev table ({@code maglev_lb.cc}, after Eisenbud et al., NSDI 2016): a prime number of
 * entries, filled in rounds; in each round every server whose turn has come (a server of the largest weight every
 * round, one of a third of that weight every third round) takes the next free entry of its own permutation
 * {@code (offset + skip × j) mod size}. Every server with a weight gets at least one entry (all take one in the
 * first round) and entries are proportional to weight: for weights 1 and 2 in 65537 entries, 21846 and 43691.
 *
 * <p>Built from configured weights of available servers: Envoy's slow start covers round robin and least
 * request only. Offsets and skips come from {@link HashKey#hash} of the server's name (Envoy: xxHash64 of the
 * address, seeds 0 and 1), so tables differ from Envoy's in layout, not in shares.
 */
final class MaglevTable implements HashTable {

  private static final long SKIP_SEED = 0x9e3779b97f4a7c15L;
  private static final int[] EMPTY = new int[0];

  private final Weights weights;
  private final int[] entries;

  MaglevTable(Weights weights, ServerSet servers, int size) {
    this.weights = weights;
    this.entries = build(weights, servers, size);
  }

  static int[] build(Weights weights, ServerSet servers, int size) {
    int hosts = 0;
    int maxWeight = 0;
    for (int id = 0; id < weights.size(); id++) {
      if (weights.weight(id) > 0) {
        hosts++;
        maxWeight = Math.max(maxWeight, weights.weight(id));
      }
    }
    if (hosts == 0) {
      return EMPTY;
    }
    int[] ids = new int[hosts];
    long[] offset = new long[hosts];
    long[] skip = new long[hosts];
    long[] next = new long[hosts];
    long[] target = new long[hosts];
    int h = 0;
    for (int id = 0; id < weights.size(); id++) {
      if (weights.weight(id) > 0) {
        long hash = HashKey.hash(servers.name(id));
        ids[h] = id;
        offset[h] = Long.remainderUnsigned(hash, size);
        skip[h] = Long.remainderUnsigned(HashKey.mix(hash ^ SKIP_SEED), size - 1) + 1;
        h++;
      }
    }
    int[] table = new int[size];
    Arrays.fill(table, -1);
    int filled = 0;
    for (long round = 1; filled < size; round++) {
      for (int i = 0; i < hosts && filled < size; i++) {
        int weight = weights.weight(ids[i]);
        // Envoy compares normalized weights, round × w ÷ W < target ÷ W; multiplied out by W here.
        if (round * weight < target[i]) {
          continue;
        }
        target[i] += maxWeight;
        int slot = (int) ((offset[i] + skip[i] * next[i]) % size);
        while (table[slot] >= 0) {
          next[i]++;
          slot = (int) ((offset[i] + skip[i] * next[i]) % size);
        }
        table[slot] = ids[i];
        next[i]++;
        filled++;
      }
    }
    return table;
  }

  @Override
  public Weights weights() {
    return weights;
  }

  @Override
  public int[] order() {
    return entries;
  }

  /** Envoy's {@code table_[hash % table_size_]}. */
  @Override
  public int start(long key) {
    return (int) Long.remainderUnsigned(key, entries.length);
  }
}

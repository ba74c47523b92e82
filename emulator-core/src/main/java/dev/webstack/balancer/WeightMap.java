package dev.webstack.balancer;

/**
 * HAProxy's server map ({@code src/lb_map.c}, {@code recalc_server_map}), used by {@code static-rr} and by
 * {@code hash-type map-based}: weights are divided by their greatest common divisor, and the map gets one slot
 * per remaining weight unit. Each slot goes to the server whose running score, raised by its weight at every
 * slot, is highest once divided by the total ({@code (score + total) / total}, first server on a tie), and the
 * winner's score then drops by the total. For weights a=5, b=1, c=1 the map is {@code a a a b a a c}, the order
 * HAProxy 2.6.12 answers with.
 *
 * <p>Built from configured weights of available servers: slow start does not apply, as it does not to HAProxy's
 * static algorithms. The greatest common divisor is taken over the servers in the map when it is built (HAProxy
 * takes it once at start-up over all servers); the order does not depend on it, only the map's length. Building
 * costs slots × servers steps, as in HAProxy: fine for tens of servers, slow for thousands of heavy ones.
 */
final class WeightMap implements HashTable {

  private final Weights weights;
  private final int[] slots;

  WeightMap(Weights weights) {
    this.weights = weights;
    int n = weights.size();
    int gcd = 0;
    for (int id = 0; id < n; id++) {
      gcd = gcd(gcd, weights.weight(id));
    }
    int total = 0;
    int[] scaled = new int[n];
    for (int id = 0; id < n; id++) {
      scaled[id] = gcd == 0 ? 0 : weights.weight(id) / gcd;
      total += scaled[id];
    }
    slots = new int[total];
    long[] score = new long[n];
    for (int slot = 0; slot < total; slot++) {
      int best = -1;
      long max = 0;
      for (int id = 0; id < n; id++) {
        if (scaled[id] == 0) {
          continue;
        }
        if (total == 1) {
          best = id;
          break;
        }
        score[id] += scaled[id];
        long v = (score[id] + total) / total; // truncates toward zero like C; between 0 and 3
        if (best < 0 || v > max) {
          max = v;
          best = id;
        }
      }
      slots[slot] = best;
      score[best] -= total;
    }
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public Weights weights() {
    return weights;
  }

  @Override
  public int[] order() {
    return slots;
  }

  /** HAProxy's {@code map_get_server_hash}: slot {@code hash % total weight}. */
  @Override
  public int start(long key) {
    return (int) Long.remainderUnsigned(key, slots.length);
  }
}

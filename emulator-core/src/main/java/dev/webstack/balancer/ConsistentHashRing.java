package dev.webstack.balancer;

import java.util.Arrays;

/**
 * HAProxy's consistent-hash tree ({@code src/lb_chash.c}): every server puts {@code weight × pointsPerWeight}
 * points on a 32-bit ring (HAProxy: 16 per weight unit, from {@code full_hash(puid × 4096 + i)}), and a key goes
 * to the point <em>nearest</em> to its hash on either side (a tie goes to the point before), not to the clockwise
 * successor as ketama does. A server's points depend on its id and their index only, so a weight change adds or
 * drops points at the end of its own list and only the keys of a server that leaves move.
 *
 * <p>Built from effective weights, so a server in slow start gains points as it ramps, as in HAProxy. Point
 * hashes come from {@link HashKey#mix}, not HAProxy's {@code full_hash}, so the same key lands on a different
 * (but equally stable) server than on a real HAProxy.
 */
final class ConsistentHashRing implements HashTable {

  private static final long UNSIGNED = 0xffffffffL;

  private final Weights weights;
  /** Point hashes, ascending as unsigned 32-bit values. */
  private final int[] points;
  private final int[] owners;

  ConsistentHashRing(Weights weights, int pointsPerWeight) {
    this.weights = weights;
    long count = weights.total() * pointsPerWeight;
    long[] packed = new long[Math.toIntExact(count)];
    int k = 0;
    for (int id = 0; id < weights.size(); id++) {
      int pointCount = weights.weight(id) * pointsPerWeight;
      for (int i = 0; i < pointCount; i++) {
        // Hash in the high 32 bits, id below: sorting orders by hash, then by id for the rare collision.
        packed[k++] = (Integer.toUnsignedLong(point(id, i)) << 31) | id;
      }
    }
    Arrays.sort(packed);
    points = new int[packed.length];
    owners = new int[packed.length];
    for (int i = 0; i < packed.length; i++) {
      points[i] = (int) (packed[i] >>> 31);
      owners[i] = (int) (packed[i] & Integer.MAX_VALUE);
    }
  }

  /** The hash of point {@code i} of server {@code id}. */
  static int point(int id, int i) {
    return (int) (HashKey.mix(((long) (id + 1) << 32) | i) >>> 32);
  }

  /** The 32-bit ring position of a request key. */
  static int position(long key) {
    return (int) (key >>> 32);
  }

  @Override
  public Weights weights() {
    return weights;
  }

  @Override
  public int[] order() {
    return owners;
  }

  /** HAProxy's {@code chash_get_server_hash}: the point nearest to the key, the one before on a tie. */
  @Override
  public int start(long key) {
    int n = points.length;
    int hash = position(key);
    int next = firstAtOrAbove(hash);
    if (next == n) {
      next = 0;
    }
    int prev = next == 0 ? n - 1 : next - 1;
    long before = (hash - points[prev]) & UNSIGNED;
    long after = (points[next] - hash) & UNSIGNED;
    return before <= after ? prev : next;
  }

  private int firstAtOrAbove(int hash) {
    int lo = 0;
    int hi = points.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Integer.compareUnsigned(points[mid], hash) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

package dev.webstack.balancer;

import static dev.webstack.internal.Checks.checkArgument;

import java.util.Objects;

/** The table-walking algorithms: HAProxy's map ({@code static-rr}, map-based hash), consistent hash, Maglev. */
final class Hashing {

  /** HAProxy's points per unit of weight ({@code BE_WEIGHT_SCALE}). */
  static final int HAPROXY_POINTS_PER_WEIGHT = 16;
  /** nginx's ketama points per unit of weight; the largest this library accepts. */
  static final int MAX_POINTS_PER_WEIGHT = 160;
  /** Envoy's largest Maglev table. */
  static final int MAX_MAGLEV_TABLE_SIZE = 5_000_011;

  static final BalancingAlgorithm STATIC_RR = new Algorithm("static-rr",
      servers -> new HashPicker(servers, new LazyTable<>(servers, false, WeightMap::new), false));

  private Hashing() {}

  static BalancingAlgorithm mapBased(HashKey key) {
    Objects.requireNonNull(key, "key");
    return new Algorithm(Algorithm.keyName(key), key,
        servers -> new HashPicker(servers, new LazyTable<>(servers, false, WeightMap::new), true));
  }

  static BalancingAlgorithm consistent(HashKey key, int pointsPerWeight) {
    Objects.requireNonNull(key, "key");
    checkArgument(pointsPerWeight >= 1 && pointsPerWeight <= MAX_POINTS_PER_WEIGHT,
        "pointsPerWeight (%s) must be between 1 and %s (HAProxy uses 16, nginx's ketama 160)",
        pointsPerWeight, MAX_POINTS_PER_WEIGHT);
    String name = Algorithm.keyName(key) + " consistent"
        + (pointsPerWeight == HAPROXY_POINTS_PER_WEIGHT ? "" : " points " + pointsPerWeight);
    return new Algorithm(name, key, servers -> new HashPicker(servers,
        new LazyTable<>(servers, true, w -> new ConsistentHashRing(w, pointsPerWeight)), true));
  }

  static BalancingAlgorithm maglev(HashKey key, int tableSize) {
    Objects.requireNonNull(key, "key");
    checkArgument(tableSize >= 2 && tableSize <= MAX_MAGLEV_TABLE_SIZE && isPrime(tableSize),
        "tableSize (%s) must be a prime between 2 and %s, e.g. 65537", tableSize, MAX_MAGLEV_TABLE_SIZE);
    return new Algorithm("maglev(" + Algorithm.keyName(key) + ")", key, servers -> new HashPicker(servers,
        new LazyTable<>(servers, false, w -> new MaglevTable(w, servers, tableSize)), true));
  }

  static boolean isPrime(int n) {
    if (n < 2) {
      return false;
    }
    for (int d = 2; (long) d * d <= n; d++) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }
}

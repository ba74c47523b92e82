package dev.webstack.balancer;

/**
 * How a balancer (or a web server forwarding to the application tier) chooses among its servers. The algorithm
 * is a factory: each balancer asks it for a {@link Picker} over its own {@link ServerSet}, so pickers keep their
 * state (counters, positions, tables) per balancer, as HAProxy keeps it per backend.
 *
 * <p>Implementations must be immutable and thread-safe; the pickers they return must be thread-safe and must not
 * allocate per pick. Pickers may also be used on their own, outside a running stack.
 */
public interface BalancingAlgorithm {

  /** A short name for descriptions and stats, in HAProxy's vocabulary where one exists ({@code roundrobin}). */
  String name();

  /** A fresh picker over {@code servers}; it follows later changes of the set. */
  Picker newPicker(ServerSet servers);

  /** The request attribute the picker hashes; {@link HashKey#none()} for algorithms that do not hash. */
  default HashKey hashKey() {
    return HashKey.none();
  }

  /**
   * Round robin: each request goes to the next available server in configuration order, wrapping after the last,
   * as HAProxy's {@code balance roundrobin} and nginx's default do with equal weights (the seed's "Request 1 →
   * Server A, Request 2 → Server B, Request 3 → Server A"). An unavailable server is skipped and the request goes
   * to the next one after it. Weights are ignored.
   */
  static BalancingAlgorithm roundRobin() {
    return RoundRobin.ALGORITHM;
  }
}

package dev.webstack.faults;

import java.time.Duration;
import java.util.List;

/**
 * Faults of one HTTP node (balancer, web server, application server), beyond {@code kill()} and {@code restart()}
 * which every node has. They act on the node's real requests: the node still accepts connections and reads
 * requests, then holds, delays or fails them. Several faults can be active at once; they apply in the order hang,
 * slow, fail.
 *
 * <p>Random choices (jitter, which requests fail) come from the stack's seed, one stream per node, and every
 * decision is recorded in the stack's {@linkplain dev.webstack.EmulatedStack#events() events} as type {@code
 * decision}, so two runs with the same seed and the same requests make the same decisions.
 *
 * <p>Thread-safe.
 */
public interface NodeFaults {

  /**
   * The node accepts and reads requests but answers none, as a process stopped with SIGSTOP does. When the fault
   * is undone the held requests are served, as after SIGCONT. Killing the node closes their connections.
   */
  Fault hang();

  /** Every request waits {@code delay} (real time) before the node handles it. */
  Fault slow(Duration delay);

  /**
   * Every request waits {@code delay} plus a uniformly drawn extra in [-jitter, +jitter] (never below zero) before
   * the node handles it.
   */
  Fault slow(Duration delay, Duration jitter);

  /**
   * Every request is answered with {@code status} instead of being handled.
   *
   * @throws IllegalArgumentException when {@code status} is not a final status (200-599)
   */
  Fault failWith(int status);

  /**
   * A share of requests (0 to 1, drawn per request from the stack's seed) is answered with {@code status} instead
   * of being handled.
   */
  Fault failWith(int status, double share);

  /** The faults now active on the node. */
  List<Fault> active();

  /** Undoes every active fault of the node. */
  void clear();
}

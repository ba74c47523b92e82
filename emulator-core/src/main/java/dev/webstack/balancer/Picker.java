package dev.webstack.balancer;

import java.util.function.IntPredicate;

/** Chooses one server per request. Thread-safe. */
@FunctionalInterface
public interface Picker {

  /**
   * Picks a server.
   *
   * @param available tells which server indexes may be chosen for this request: servers that are down, or that
   *     this request already tried, are excluded
   * @return the chosen index, or -1 when no server is available
   */
  int pick(IntPredicate available);
}

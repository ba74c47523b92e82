package dev.webstack.balancer;

import java.util.function.IntPredicate;

/**
 * Chooses one server of a {@link ServerSet} per request. Thread-safe; a pick allocates nothing.
 *
 * <p>A picker sees servers that are down, removed or drained as unavailable ({@link ServerSet#isAvailable}), and
 * also skips the ones the caller names: the servers this request already tried, so a retry goes elsewhere
 * (HAProxy's {@code option redispatch}, nginx's {@code proxy_next_upstream}).
 */
@FunctionalInterface
public interface Picker {

  /** Skips nothing: for a request's first attempt. */
  IntPredicate SKIP_NONE = id -> false;

  /**
   * Picks a server.
   *
   * @param key the request's hash key (see {@link HashKey}); algorithms that do not hash ignore it
   * @param skip servers to leave out for this request, besides unavailable ones
   * @return the chosen server's id, or -1 when no server can be chosen
   */
  int pick(long key, IntPredicate skip);
}

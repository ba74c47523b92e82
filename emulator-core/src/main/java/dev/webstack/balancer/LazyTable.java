package dev.webstack.balancer;

import java.util.Objects;
import java.util.function.Function;

/**
 * Keeps a table derived from a {@link ServerSet}'s weights (a weight map, a hash ring, a Maglev table) current
 * for a lock-free picker. A pick costs two volatile reads while nothing changes; after a change of the set's
 * {@link ServerSet#version() version} the first pick rereads the weights under a lock and rebuilds the table only
 * if they differ. While a server ramps up in slow start (which moves effective weights without a version change)
 * every pick rereads them, so the table follows the ramp step by step.
 */
final class LazyTable<T extends LazyTable.Table> {

  /** A table built from one reading of the weights. */
  interface Table {
    Weights weights();
  }

  private final ServerSet servers;
  private final boolean followSlowStart;
  private final Function<Weights, T> build;
  private volatile T table;
  private volatile long seenVersion = Long.MIN_VALUE;
  private volatile boolean ramping;

  LazyTable(ServerSet servers, boolean followSlowStart, Function<Weights, T> build) {
    this.servers = Objects.requireNonNull(servers, "servers");
    this.followSlowStart = followSlowStart;
    this.build = Objects.requireNonNull(build, "build");
  }

  T get() {
    if (!ramping && seenVersion == servers.version()) {
      return table;
    }
    return refresh();
  }

  private synchronized T refresh() {
    long version = servers.version();
    if (!ramping && seenVersion == version) {
      return table;
    }
    // Ramping is read before the weights: a ramp that ends in between only costs one more refresh.
    boolean anyRamping = followSlowStart && anyRamping();
    T t = table;
    if (t == null || !t.weights().matches(servers, followSlowStart)) {
      t = build.apply(Weights.read(servers, followSlowStart));
      table = t;
    }
    ramping = anyRamping;
    seenVersion = version;
    return t;
  }

  private boolean anyRamping() {
    int n = servers.size();
    for (int id = 0; id < n; id++) {
      if (servers.isRamping(id)) {
        return true;
      }
    }
    return false;
  }
}

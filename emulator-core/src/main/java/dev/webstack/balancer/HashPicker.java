package dev.webstack.balancer;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * Picks by walking a {@link HashTable}: from the key's slot when hashing, from a turn index otherwise. A server
 * that is unavailable, skipped or (with a {@link LoadBound}) at its load bound is passed over and the walk goes
 * on to the next entry, so a retry lands where the key would go if that server were gone.
 *
 * <p>A key of 0 means the request had no key (no such header, say): as HAProxy does for a missing key, the
 * request goes round robin over the table instead. static-rr is that walk for every request, with HAProxy's
 * {@code map_get_server_rr} bookkeeping: the turn index points after the last server taken and goes back to 0
 * when a rebuilt table is shorter than it. Lock-free (the turn index moves by compare-and-set); a pick allocates
 * nothing.
 */
final class HashPicker implements Picker {

  private final ServerSet servers;
  private final LazyTable<? extends HashTable> tables;
  private final boolean hashes;
  private final AtomicInteger turn = new AtomicInteger();

  /**
   * @param hashes false for static-rr, which walks the table in turn whatever the key
   */
  HashPicker(ServerSet servers, LazyTable<? extends HashTable> tables, boolean hashes) {
    this.servers = Objects.requireNonNull(servers, "servers");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.hashes = hashes;
  }

  /** False for static-rr, which walks the table in turn whatever the key. */
  boolean hashes() {
    return hashes;
  }

  @Override
  public int pick(long key, IntPredicate skip) {
    return pick(key, skip, null);
  }

  /**
   * Picks like {@link #pick(long, IntPredicate)}, but with a bound also passes over servers the bound finds
   * loaded. When every eligible server is at its bound (possible only when the caller skips some), the bound is
   * dropped and the first eligible server in walk order is taken, as HAProxy takes the server it ends on after a
   * full turn of the ring.
   */
  int pick(long key, IntPredicate skip, LoadBound bound) {
    HashTable table = tables.get();
    int[] order = table.order();
    int n = order.length;
    if (n == 0) {
      return -1;
    }
    long slots = bound == null ? 0 : bound.totalSlots(servers);
    if (hashes && key != 0) {
      int at = find(table, table.start(key), skip, bound, slots);
      return at < 0 ? -1 : order[at];
    }
    while (true) {
      int seen = turn.get();
      int at = find(table, seen < 0 || seen >= n ? 0 : seen, skip, bound, slots);
      if (at < 0) {
        return -1;
      }
      if (turn.compareAndSet(seen, at + 1)) {
        return order[at];
      }
    }
  }

  /** The index of the first acceptable entry from {@code from} on, wrapping; -1 when there is none. */
  private int find(HashTable table, int from, IntPredicate skip, LoadBound bound, long slots) {
    int[] order = table.order();
    for (int pass = bound == null ? 1 : 0; pass < 2; pass++) {
      int at = from;
      do {
        int id = order[at];
        if (servers.isAvailable(id) && !skip.test(id)
            && (pass == 1 || bound.admits(servers, table.weights(), id, slots))) {
          return at;
        }
        at = at + 1 == order.length ? 0 : at + 1;
      } while (at != from);
    }
    return -1;
  }
}

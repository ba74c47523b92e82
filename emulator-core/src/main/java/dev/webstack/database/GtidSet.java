package dev.webstack.database;

import static dev.webstack.internal.Checks.checkArgument;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of global transaction identifiers as MySQL writes it: {@code source_uuid:transaction_id} per transaction,
 * sets as {@code uuid:1-77:80,uuid2:1-5} (MySQL's {@code gtid_executed} text form). Each node of a replicated
 * database has a {@code server_uuid}, derived here from its name, and every transaction it commits on behalf of a
 * client gets the next number of that uuid; replicas keep the original GTID of what they apply.
 *
 * <p>{@link #subtract} and {@link #containsAll} are MySQL's {@code GTID_SUBTRACT} and {@code GTID_SUBSET}. Immutable
 * and thread-safe.
 */
public final class GtidSet {

  private static final GtidSet EMPTY = new GtidSet(new TreeMap<>());

  /** uuid → sorted, disjoint, non-adjacent intervals as [start0, end0, start1, end1, ...], both ends inclusive. */
  private final TreeMap<String, long[]> ranges;

  private GtidSet(TreeMap<String, long[]> ranges) {
    this.ranges = ranges;
  }

  public static GtidSet empty() {
    return EMPTY;
  }

  /** The set holding one transaction, {@code uuid:id}. */
  public static GtidSet of(String uuid, long id) {
    checkArgument(id >= 1, "transaction id (%s) must be positive", id);
    TreeMap<String, long[]> m = new TreeMap<>();
    m.put(uuid, new long[] {id, id});
    return new GtidSet(m);
  }

  /**
   * Parses MySQL's text form, for example {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7,uuid2:3}; whitespace
   * and newlines (as {@code SHOW REPLICA STATUS} prints them) are ignored; the empty string is the empty set.
   */
  public static GtidSet parse(String text) {
    checkArgument(text != null, "gtid set text must not be null");
    Mutable m = new Mutable();
    String s = text.replaceAll("\\s", "");
    if (s.isEmpty()) {
      return EMPTY;
    }
    for (String part : s.split(",")) {
      String[] fields = part.split(":");
      checkArgument(fields.length >= 2 && !fields[0].isEmpty(), "gtid set (%s): %s is not uuid:interval", text, part);
      for (int i = 1; i < fields.length; i++) {
        String[] ends = fields[i].split("-");
        try {
          long start = Long.parseLong(ends[0]);
          long end = ends.length > 1 ? Long.parseLong(ends[1]) : start;
          checkArgument(start >= 1 && end >= start && ends.length <= 2, "gtid set (%s): bad interval %s", text,
              fields[i]);
          for (long id = start; id <= end; id++) {
            m.add(fields[0], id);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("gtid set (" + text + "): bad interval " + fields[i], e);
        }
      }
    }
    return m.snapshot();
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The number of transactions in the set. */
  public long size() {
    long n = 0;
    for (long[] r : ranges.values()) {
      for (int i = 0; i < r.length; i += 2) {
        n += r[i + 1] - r[i] + 1;
      }
    }
    return n;
  }

  public boolean contains(String uuid, long id) {
    return contains(ranges.get(uuid), id);
  }

  /** MySQL's {@code GTID_SUBSET(other, this)}: true when every transaction of {@code other} is in this set. */
  public boolean containsAll(GtidSet other) {
    for (Map.Entry<String, long[]> e : other.ranges.entrySet()) {
      long[] mine = ranges.get(e.getKey());
      long[] theirs = e.getValue();
      for (int i = 0; i < theirs.length; i += 2) {
        if (!covers(mine, theirs[i], theirs[i + 1])) {
          return false;
        }
      }
    }
    return true;
  }

  public GtidSet union(GtidSet other) {
    if (other.isEmpty()) {
      return this;
    }
    Mutable m = new Mutable(this);
    m.addAll(other);
    return m.snapshot();
  }

  /** MySQL's {@code GTID_SUBTRACT(this, other)}: the transactions of this set that {@code other} lacks. */
  public GtidSet subtract(GtidSet other) {
    Mutable m = new Mutable();
    for (Map.Entry<String, long[]> e : ranges.entrySet()) {
      long[] r = e.getValue();
      long[] o = other.ranges.get(e.getKey());
      for (int i = 0; i < r.length; i += 2) {
        for (long id = r[i]; id <= r[i + 1]; id++) {
          if (!contains(o, id)) {
            m.add(e.getKey(), id);
          } else if (o != null) {
            id = endOfRangeContaining(o, id); // skip the covered run
          }
        }
      }
    }
    return m.snapshot();
  }

  /** The uuids that have transactions in the set, sorted. */
  public java.util.Set<String> uuids() {
    return Collections.unmodifiableSet(ranges.keySet());
  }

  /** MySQL's text form: uuids sorted, intervals ascending, {@code ""} for the empty set. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, long[]> e : ranges.entrySet()) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(e.getKey());
      long[] r = e.getValue();
      for (int i = 0; i < r.length; i += 2) {
        b.append(':').append(r[i]);
        if (r[i + 1] != r[i]) {
          b.append('-').append(r[i + 1]);
        }
      }
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GtidSet other) || other.ranges.size() != ranges.size()) {
      return false;
    }
    for (Map.Entry<String, long[]> e : ranges.entrySet()) {
      if (!Arrays.equals(e.getValue(), other.ranges.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, long[]> e : ranges.entrySet()) {
      h += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
    }
    return h;
  }

  private static boolean contains(long[] r, long id) {
    if (r == null) {
      return false;
    }
    int i = find(r, id);
    return i >= 0;
  }

  private static long endOfRangeContaining(long[] r, long id) {
    return r[find(r, id) + 1];
  }

  /** The index of the interval start containing {@code id}, or -1. */
  private static int find(long[] r, long id) {
    int lo = 0;
    int hi = r.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (r[2 * mid + 1] < id) {
        lo = mid + 1;
      } else if (r[2 * mid] > id) {
        hi = mid - 1;
      } else {
        return 2 * mid;
      }
    }
    return -1;
  }

  private static boolean covers(long[] r, long start, long end) {
    if (r == null) {
      return false;
    }
    int i = find(r, start);
    return i >= 0 && r[i + 1] >= end;
  }

  /**
   * The growing set a node keeps (its {@code gtid_executed}, a replica's retrieved set); appending the next id
   * of a uuid, the common case, costs no allocation. Not thread-safe: owners guard it.
   */
  static final class Mutable {
    /** One uuid's intervals: {@code r[0..n)} as start, end pairs, with room to grow. */
    private static final class Ranges {
      long[] r;
      int n;

      Ranges(long[] r, int n) {
        this.r = r;
        this.n = n;
      }
    }

    private final TreeMap<String, Ranges> ranges = new TreeMap<>();
    // The uuid looked up last and its intervals: almost every call is about one uuid (the source's), so this
    // spares the TreeMap's string comparisons on every commit.
    private String lastUuid;
    private Ranges last;

    Mutable() {}

    Mutable(GtidSet from) {
      addAll(from);
    }

    void addAll(GtidSet other) {
      for (Map.Entry<String, long[]> e : other.ranges.entrySet()) {
        long[] r = e.getValue();
        for (int i = 0; i < r.length; i += 2) {
          for (long id = r[i]; id <= r[i + 1]; id++) {
            add(e.getKey(), id);
          }
        }
      }
    }

    void clear() {
      ranges.clear();
      lastUuid = null;
      last = null;
    }

    private Ranges lookup(String uuid) {
      if (uuid == lastUuid) { // identity: the same uuid string instance, the usual case
        return last;
      }
      Ranges found = ranges.get(uuid);
      if (found != null) {
        lastUuid = uuid;
        last = found;
      }
      return found;
    }

    boolean contains(String uuid, long id) {
      Ranges g = lookup(uuid);
      if (g == null) {
        return false;
      }
      long[] r = g.r;
      int n = g.n;
      if (n >= 2 && id >= r[n - 2] && id <= r[n - 1]) { // the last interval, the usual hit
        return true;
      }
      int lo = 0;
      int hi = n / 2 - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (r[2 * mid + 1] < id) {
          lo = mid + 1;
        } else if (r[2 * mid] > id) {
          hi = mid - 1;
        } else {
          return true;
        }
      }
      return false;
    }

    boolean containsAll(GtidSet other) {
      for (Map.Entry<String, long[]> e : other.ranges.entrySet()) {
        long[] r = e.getValue();
        for (int i = 0; i < r.length; i += 2) {
          if (!contains(e.getKey(), r[i]) || !contains(e.getKey(), r[i + 1])
              || !sameInterval(e.getKey(), r[i], r[i + 1])) {
            return false;
          }
        }
      }
      return true;
    }

    private boolean sameInterval(String uuid, long start, long end) {
      Ranges g = lookup(uuid);
      for (int i = 0; i < g.n; i += 2) {
        if (g.r[i] <= start && g.r[i + 1] >= end) {
          return true;
        }
      }
      return false;
    }

    /** Adds {@code uuid:id}; returns false when it was there already. */
    boolean add(String uuid, long id) {
      Ranges g = lookup(uuid);
      if (g == null) {
        g = new Ranges(new long[] {id, id, 0, 0}, 2);
        ranges.put(uuid, g);
        lastUuid = uuid;
        last = g;
        return true;
      }
      long[] r = g.r;
      int n = g.n;
      if (id == r[n - 1] + 1) { // append to the last interval
        r[n - 1] = id;
        return true;
      }
      if (contains(uuid, id)) {
        return false;
      }
      // General case: rebuild with the id inserted, merging neighbours.
      long[] out = new long[n + 2];
      int k = 0;
      boolean placed = false;
      for (int i = 0; i < n; i += 2) {
        if (!placed && id < r[i]) {
          k = push(out, k, id, id);
          placed = true;
        }
        k = push(out, k, r[i], r[i + 1]);
      }
      if (!placed) {
        k = push(out, k, id, id);
      }
      long[] grown = new long[Math.max(k + 2, 4)];
      System.arraycopy(out, 0, grown, 0, k);
      g.r = grown;
      g.n = k;
      return true;
    }

    private static int push(long[] out, int k, long start, long end) {
      if (k >= 2 && out[k - 1] + 1 >= start) {
        out[k - 1] = Math.max(out[k - 1], end);
        return k;
      }
      out[k] = start;
      out[k + 1] = end;
      return k + 2;
    }

    GtidSet snapshot() {
      TreeMap<String, long[]> copy = new TreeMap<>();
      ranges.forEach((uuid, g) -> copy.put(uuid, Arrays.copyOf(g.r, g.n)));
      return copy.isEmpty() ? EMPTY : new GtidSet(copy);
    }
  }
}

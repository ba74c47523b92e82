package dev.webstack.balancer;

import static dev.webstack.internal.Checks.checkArgument;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The servers one balancer chooses among, as HAProxy's backend holds them: an id per server (its position in
 * configuration order, never reused), a weight, an up/down state, and the number of requests in flight. Pickers
 * read it; the balancer (or a test) changes it while traffic flows.
 *
 * <p>Weights follow HAProxy: 0 to 256, default 1; weight 0 drains a server (no new balanced traffic). A server that
 * comes back up with {@link #slowStart(Duration) slow start} set ramps its effective weight linearly from a
 * minimum to its full weight over that duration, as HAProxy's {@code slowstart} does.
 *
 * <p>Thread-safe. Every change of membership, weight or state increments {@link #version()}, so a picker that keeps
 * derived tables (a hash ring, a Maglev table) can rebuild them lazily, with one volatile read per pick.
 */
public final class ServerSet {

  /** HAProxy's maximum server weight. */
  public static final int MAX_WEIGHT = 256;

  private final LongSupplier nanoClock;
  private final AtomicLong version = new AtomicLong();
  private volatile Entry[] entries = new Entry[0];
  /**
   * One counter per server, carried over by reference when a server is added: copying the counts into a new array
   * instead would lose a {@link #started}/{@link #finished} that lands on the old array after the copy, leaving a
   * server counted in flight (or below zero) for good.
   */
  private volatile AtomicInteger[] inFlight = new AtomicInteger[0];
  private volatile long slowStartNanos;
  private final AtomicLong totalInFlight = new AtomicLong();

  /** A server set on the system clock. */
  public ServerSet() {
    this(System::nanoTime);
  }

  /** A server set whose slow start follows {@code nanoClock}, so a test can drive time. */
  public ServerSet(LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** One server's configuration and state; replaced, never mutated. */
  private record Entry(String name, int weight, boolean up, boolean removed, long upSinceNanos) {}

  /**
   * Adds a server.
   *
   * @return its id, the next integer from 0
   */
  public synchronized int add(String name, int weight) {
    checkArgument(name != null && !name.isBlank(), "server name (%s) must not be blank", name);
    checkWeight(name, weight);
    Entry[] next = Arrays.copyOf(entries, entries.length + 1);
    next[entries.length] = new Entry(name, weight, true, false, Long.MIN_VALUE);
    AtomicInteger[] counts = Arrays.copyOf(inFlight, next.length);
    counts[entries.length] = new AtomicInteger();
    inFlight = counts;
    entries = next;
    version.incrementAndGet();
    return next.length - 1;
  }

  /** Removes a server for good; its id is never picked or reused. */
  public synchronized void remove(int id) {
    Entry e = entry(id);
    replace(id, new Entry(e.name, e.weight, false, true, e.upSinceNanos));
  }

  /** Changes a server's weight (0..256; 0 drains it). Takes effect at the next pick. */
  public synchronized void setWeight(int id, int weight) {
    Entry e = entry(id);
    checkWeight(e.name, weight);
    replace(id, new Entry(e.name, weight, e.up, e.removed, e.upSinceNanos));
  }

  /** Marks a server down (a failed health check, an operator's disable). */
  public synchronized void markDown(int id) {
    Entry e = entry(id);
    if (e.up) {
      replace(id, new Entry(e.name, e.weight, false, e.removed, e.upSinceNanos));
    }
  }

  /** Marks a server up again; with slow start set, its weight ramps up from now. */
  public synchronized void markUp(int id) {
    Entry e = entry(id);
    if (!e.up && !e.removed) {
      replace(id, new Entry(e.name, e.weight, true, false, nanoClock.getAsLong()));
    }
  }

  /** Sets HAProxy's {@code slowstart}: how long a server that came back up takes to reach its full weight. */
  public void slowStart(Duration duration) {
    checkArgument(duration != null && !duration.isNegative(), "slowStart (%s) must not be negative", duration);
    slowStartNanos = duration.toNanos();
    version.incrementAndGet();
  }

  private void replace(int id, Entry e) {
    Entry[] next = entries.clone();
    next[id] = e;
    entries = next;
    version.incrementAndGet();
  }

  private Entry entry(int id) {
    Entry[] es = entries;
    checkArgument(id >= 0 && id < es.length, "server id (%s) must be between 0 and %s", id, es.length - 1);
    return es[id];
  }

  private static void checkWeight(String name, int weight) {
    checkArgument(weight >= 0 && weight <= MAX_WEIGHT, "weight (%s) of %s must be between 0 and %s",
        weight, name, MAX_WEIGHT);
  }

  /** How many ids exist, removed servers included. */
  public int size() {
    return entries.length;
  }

  public String name(int id) {
    return entry(id).name;
  }

  /** The configured weight. */
  public int weight(int id) {
    return entries[id].weight;
  }

  /**
   * The weight to balance with now: 0 for a server that is down, removed or drained; during slow start, the
   * configured weight scaled by the elapsed share of the ramp (at least 1, as HAProxy never gives a live server a
   * zero weight during the ramp).
   */
  public int effectiveWeight(int id) {
    Entry e = entries[id];
    if (!e.up || e.removed || e.weight == 0) {
      return 0;
    }
    long ramp = slowStartNanos;
    if (ramp == 0 || e.upSinceNanos == Long.MIN_VALUE) {
      return e.weight;
    }
    long elapsed = nanoClock.getAsLong() - e.upSinceNanos;
    if (elapsed >= ramp) {
      return e.weight;
    }
    return (int) Math.max(1, (e.weight * elapsed + ramp - 1) / ramp);
  }

  /** True when the server may receive balanced traffic: up, not removed, weight above 0. */
  public boolean isAvailable(int id) {
    Entry e = entries[id];
    return e.up && !e.removed && e.weight > 0;
  }

  /** True while the server is up (it may still be drained by weight 0). */
  public boolean isUp(int id) {
    Entry e = entries[id];
    return e.up && !e.removed;
  }

  /** True while the server's effective weight is still ramping up. */
  public boolean isRamping(int id) {
    Entry e = entries[id];
    return e.up && slowStartNanos > 0 && e.upSinceNanos != Long.MIN_VALUE
        && nanoClock.getAsLong() - e.upSinceNanos < slowStartNanos;
  }

  /** Requests currently in flight on the server (for least-connection and load-aware algorithms). */
  public int inFlight(int id) {
    return inFlight[id].get();
  }

  /** Counts a request sent to the server; pair with {@link #finished(int)}. */
  public void started(int id) {
    inFlight[id].incrementAndGet();
    totalInFlight.incrementAndGet();
  }

  /** Counts a request done. */
  public void finished(int id) {
    inFlight[id].decrementAndGet();
    totalInFlight.decrementAndGet();
  }

  /** Requests in flight on all servers together, kept as a running sum so load bounds cost O(1). */
  public long totalInFlight() {
    return totalInFlight.get();
  }

  /** Incremented on every change of membership, weight, state or slow start. */
  public long version() {
    return version.get();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ServerSet[");
    Entry[] es = entries;
    for (int i = 0; i < es.length; i++) {
      Entry e = es[i];
      b.append(i == 0 ? "" : ", ").append(e.name).append(" w=").append(e.weight)
          .append(e.removed ? " removed" : e.up ? "" : " down").append(" inflight=").append(inFlight(i));
    }
    return b.append(']').toString();
  }
}

package dev.webstack.internal;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.faults.Fault;
import dev.webstack.faults.LinkFaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * The faults active on one HTTP {@link Link}, and the relay that carries its connections while any is active.
 * The relay starts with the first fault and then stays (healed, it relays bytes untouched) until the stack
 * closes, so faults toggled often do not churn threads.
 */
public final class LinkFaultState implements LinkFaults {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinkFaultState.class);

  private final Link link;
  private final NodeContext context;
  private final ThreadFactory threads;
  private final List<Entry> active = new ArrayList<>();
  private LinkRelay relay;
  private boolean closed;

  private record Entry(ActiveFault handle, Direction cut, long latency, long jitter, boolean reset, long bandwidth) {}

  /** @param threads makes the relay's threads, named after the stack and the link */
  public LinkFaultState(Link link, NodeContext context, ThreadFactory threads) {
    this.link = link;
    this.context = context;
    this.threads = threads;
    context.links().watch((node, down) -> {
      if (node.equals(link.to())) {
        targetDown(down);
      }
    });
  }

  /**
   * Follows the target's state; never throws, so that a relay cannot fail its target's restart nor keep the other
   * watchers from being told.
   */
  private synchronized void targetDown(boolean down) {
    if (relay == null) {
      return;
    }
    try {
      relay.targetDown(down);
    } catch (RuntimeException e) {
      LOG.warn("link {}: its relay could not listen again as {} came back; connections over it are refused",
          link.name(), link.to(), e);
    } finally {
      if (!active.isEmpty()) {
        link.routeVia(relay.address()); // the relay may have had to move to another port
      }
    }
  }

  @Override
  public String name() {
    return link.name();
  }

  @Override
  public Fault partition() {
    return partition(Direction.BOTH);
  }

  @Override
  public Fault partition(Direction direction) {
    return add(partitionWords(link.from(), link.to(), direction), direction, 0, 0, false, 0);
  }

  @Override
  public Fault latency(Duration latency) {
    return latency(latency, Duration.ZERO);
  }

  @Override
  public Fault latency(Duration latency, Duration jitter) {
    return add(latencyWords(link.name(), latency, jitter), null, latency.toNanos(), jitter.toNanos(), false, 0);
  }

  @Override
  public Fault reset() {
    return add("reset every connection", null, 0, 0, true, 0);
  }

  @Override
  public Fault bandwidth(long bytesPerSecond) {
    checkArgument(bytesPerSecond > 0, "bytesPerSecond (%s) on %s must be positive", bytesPerSecond, link.name());
    return add("bandwidth " + bytesPerSecond + " B/s each way", null, 0, 0, false, bytesPerSecond);
  }

  /** Describes a partition of {@code from->to}, checking the direction; shared by every kind of link. */
  static String partitionWords(String from, String to, Direction direction) {
    checkArgument(direction != null, "direction of partition() on %s->%s must not be null", from, to);
    return switch (direction) {
      case BOTH -> "partition both ways";
      case FORWARD -> "partition one way: " + from + " -> " + to + " cut";
      case BACKWARD -> "partition one way: " + to + " -> " + from + " cut";
    };
  }

  /** Describes added latency on {@code link}, checking both durations; shared by every kind of link. */
  static String latencyWords(String link, Duration latency, Duration jitter) {
    checkArgument(latency != null && !latency.isNegative(), "latency (%s) on %s must not be negative", latency, link);
    checkArgument(jitter != null && !jitter.isNegative(), "jitter (%s) on %s must not be negative", jitter, link);
    return "latency " + latency.toMillis() + " ms" + (jitter.isZero() ? "" : " ± " + jitter.toMillis() + " ms")
        + " each way";
  }

  private synchronized Fault add(String what, Direction cut, long latency, long jitter, boolean reset,
      long bandwidth) {
    Checks.checkNotClosed(closed, "link " + link.name(), context.stackName());
    if (relay == null) {
      try {
        relay = new LinkRelay(link, threads, context.random().stream(link.name() + "/jitter"));
        relay.targetDown(context.links().isDown(link.to()));
      } catch (IOException e) {
        throw new UncheckedIOException("link " + link.name() + ": could not open its relay: " + e.getMessage(), e);
      }
    }
    Entry[] entry = new Entry[1];
    ActiveFault handle = new ActiveFault(link.name(), what, context.events(), context.clock(), f -> remove(entry[0]));
    entry[0] = new Entry(handle, cut, latency, jitter, reset, bandwidth);
    active.add(entry[0]);
    relay.apply(settings());
    link.routeVia(relay.address()); // the first fault reroutes (pooled direct connections are dropped), others keep it
    return handle;
  }

  private synchronized void remove(Entry entry) {
    active.remove(entry);
    if (relay == null) { // the stack closed
      return;
    }
    try {
      relay.apply(settings());
    } finally {
      // With no fault left the link goes direct, even should the relay have failed to listen again; with faults
      // left it follows the relay, which may have had to move to another port.
      link.routeVia(active.isEmpty() ? null : relay.address());
    }
  }

  private LinkRelay.Settings settings() {
    boolean forward = false;
    boolean backward = false;
    long latency = 0;
    long jitter = 0;
    boolean reset = false;
    long bandwidth = 0;
    for (Entry e : active) {
      forward |= e.cut() == Direction.FORWARD || e.cut() == Direction.BOTH;
      backward |= e.cut() == Direction.BACKWARD || e.cut() == Direction.BOTH;
      latency += e.latency();
      jitter = Math.max(jitter, e.jitter());
      reset |= e.reset();
      if (e.bandwidth() > 0) {
        bandwidth = bandwidth == 0 ? e.bandwidth() : Math.min(bandwidth, e.bandwidth());
      }
    }
    return new LinkRelay.Settings(forward, backward, latency, jitter, reset, bandwidth);
  }

  @Override
  public synchronized List<Fault> active() {
    return active.stream().map(e -> (Fault) e.handle()).toList();
  }

  @Override
  public void heal() {
    active().forEach(Fault::undo);
  }

  /** Stops the relay, if one ever started; called by the stack's close. */
  public void close(Duration wait) throws InterruptedException {
    LinkRelay r;
    synchronized (this) {
      closed = true;
      r = relay;
      relay = null;
    }
    if (r != null) {
      r.close(wait.toMillis());
    }
  }

  @Override
  public String toString() {
    return link.name() + " " + active();
  }
}

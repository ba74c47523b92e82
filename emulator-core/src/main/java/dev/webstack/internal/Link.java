package dev.webstack.internal;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The network path from one component to another (for example {@code lb-1 -> web-1}). Every connection the
 * {@code from} side opens to the {@code to} side asks the link where to connect: straight to the target's
 * listener while the link is clean, or to the link's relay once a link fault was applied, so that faults act on
 * the real bytes. Health checks use the same address, so a partitioned link fails its checks too.
 */
public final class Link {

  private final String from;
  private final String to;
  private final Supplier<InetSocketAddress> target;
  private volatile InetSocketAddress via;
  private volatile int version;

  /** @param target the {@code to} side's current listener address */
  public Link(String from, String to, Supplier<InetSocketAddress> target) {
    this.from = from;
    this.to = to;
    this.target = target;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }

  /** {@code from->to}, the link's name in events and dumps. */
  public String name() {
    return from + "->" + to;
  }

  /** Where a new connection over this link goes. */
  public InetSocketAddress connectAddress() {
    InetSocketAddress v = via;
    return v != null ? v : target.get();
  }

  /** The {@code to} side's own listener, where the relay forwards to. */
  public InetSocketAddress targetAddress() {
    return target.get();
  }

  /** Changes whenever {@link #connectAddress()} does; connection pools compare it to drop stale connections. */
  public int version() {
    return version;
  }

  /** Routes new connections through a relay listening at {@code relay} (null: straight to the target again). */
  public synchronized void routeVia(InetSocketAddress relay) {
    if (java.util.Objects.equals(via, relay)) {
      return; // the same route: pooled connections stay good
    }
    via = relay;
    version++;
  }

  @Override
  public String toString() {
    return name();
  }
}

package dev.webstack.faults;

import java.time.Duration;
import java.util.List;

/**
 * Faults of the network path from one component to another, for example {@code lb-1->web-1}, the way Toxiproxy's
 * toxics and turmoil's partitions break a link. They act on the real traffic: while any fault is active, new
 * connections over the link go through a relay on loopback that holds, delays, throttles or resets the bytes;
 * connections opened before the first fault were closed when the relay went in (the connecting side reconnects,
 * as after a network change). When the last fault is undone, new connections go straight again.
 *
 * <p>Health checks of the {@code from} side travel the same link, so a partitioned server fails its checks.
 *
 * <p>Differences from a real network, all because loopback cannot lose a packet: during a partition new
 * connections are <em>refused</em> at once, where a real network lets the SYN time out; bytes in flight on
 * established connections are held, not lost, and delivered in order when the partition heals (what TCP's
 * retransmission achieves when the partition is shorter than its timeouts). Latency is real time, not the stack
 * clock.
 *
 * <p>Thread-safe.
 */
public interface LinkFaults {

  /** Which way bytes stop flowing in a partition. */
  enum Direction {
    /** From the {@code from} side to the {@code to} side: requests do not arrive. */
    FORWARD,
    /** From the {@code to} side back: requests arrive and are handled, answers do not come back. */
    BACKWARD,
    /** Both ways. */
    BOTH
  }

  /** The link's name, {@code from->to}. */
  String name();

  /** Cuts the link both ways. */
  Fault partition();

  /** Cuts the link one way; new connections are refused either way (a handshake needs both). */
  Fault partition(Direction direction);

  /** Adds {@code latency} to each direction (so a round trip gains twice as much). */
  Fault latency(Duration latency);

  /** Adds {@code latency} plus a uniformly drawn extra in [-jitter, +jitter] per chunk of bytes, order kept. */
  Fault latency(Duration latency, Duration jitter);

  /** Resets (TCP RST) every connection on the link now, and every new one, while active. */
  Fault reset();

  /** Limits each direction to {@code bytesPerSecond}. */
  Fault bandwidth(long bytesPerSecond);

  /** The faults active on this link. */
  List<Fault> active();

  /** Undoes every fault of the link. */
  void heal();
}

package dev.webstack;

import java.util.List;

/**
 * A running modeled server and the nodes on it. Killing a host takes down every node on it at once, the way the
 * simple stack's one server is its single point of failure. Thread-safe.
 */
public interface Host {

  String name();

  /** The modeled address, for example {@code 8.8.8.8}; a label, never connected to. */
  String address();

  /** The nodes on this host, in start order. */
  List<Node> nodes();

  /** True unless the host was killed and not restarted. */
  boolean isUp();

  /** Kills every node on the host, last started first. */
  void kill();

  /** Brings the host back and restarts every node on it in start order (database first). */
  void restart();
}

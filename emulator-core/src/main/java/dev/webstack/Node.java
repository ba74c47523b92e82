package dev.webstack;

import dev.webstack.faults.NodeFaults;
import dev.webstack.inspection.NodeJournal;
import java.net.InetSocketAddress;

/**
 * A running component of a stack: the balancer, a web server, an application server or the database. Every node
 * can be killed and restarted; a restarted node listens on the same loopback port as before.
 *
 * <p>Thread-safe.
 */
public interface Node {

  /** The component's name, for example {@code web-1}. */
  String name();

  ComponentKind kind();

  /** The host the node runs on. */
  Host host();

  /** The modeled port, for example 80 (see {@link ComponentSpec#port()}). */
  int modeledPort();

  /**
   * The real listener: 127.0.0.1 and the port the OS gave at first start, kept across restarts. For the database,
   * which has no socket, the address is {@code 127.0.0.1:0}.
   */
  InetSocketAddress address();

  /** True while the node accepts work (started, not killed, stack not closed). */
  boolean isRunning();

  /**
   * Takes the node down as a crash would: its listener closes (connections are refused) and open connections are
   * closed. Killing a killed node does nothing.
   */
  void kill();

  /**
   * Brings the node back on the same port, stopping it first if it runs, as an operator's restart does.
   *
   * @throws IllegalStateException when the node's host is down (restart the host instead) or the stack is closed
   */
  void restart();

  /**
   * The node's request faults: hang, slow, fail a share of requests.
   *
   * @throws UnsupportedOperationException for the database, which has no HTTP requests (kill it, or break the
   *     link to it)
   */
  NodeFaults faults();

  /**
   * A snapshot of the requests this node saw: the latest ones with status, latency, upstream chosen and fault
   * applied, and counters over all of them.
   *
   * @throws UnsupportedOperationException for the database
   */
  NodeJournal journal();
}

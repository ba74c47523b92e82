package dev.webstack.balancer;

import dev.webstack.inspection.ServerStats;
import java.util.List;

/**
 * The servers behind one proxying node, as an operator sees them on HAProxy's stats socket: statistics, and the
 * run-time commands {@code disable server}, {@code enable server} and {@code set weight}. Obtained from {@code
 * stack.backend("lb-1")} for the balancer's web servers, or {@code stack.backend("web-1")} for that web server's
 * application servers. Thread-safe; every change is recorded in the stack's events.
 */
public interface Backend {

  /** The proxying node's name, for example {@code lb-1}. */
  String name();

  /** Every server, in configuration order, backups included. */
  List<ServerStats> stats();

  /**
   * One server.
   *
   * @throws IllegalArgumentException naming the server and the known ones when there is no such server
   */
  ServerStats server(String serverName);

  /**
   * Puts the server in maintenance (HAProxy {@code disable server}, status {@code MAINT}): it gets no new
   * requests and is no longer checked; requests in flight finish (drain). Idempotent.
   */
  void disable(String serverName);

  /**
   * Takes the server out of maintenance (HAProxy {@code enable server}). With checks on it comes back as HAProxy's
   * does: up, but with the health of a server that just rose ({@code UP 1/3}: the first failed check takes it down),
   * and it is checked at once. Idempotent.
   */
  void enable(String serverName);

  /**
   * Changes the server's weight (HAProxy {@code set weight}): 0 to 256, 0 drains it. Takes effect at the next pick
   * (HAProxy's {@code roundrobin} applies it from its next cycle).
   */
  void weight(String serverName, int weight);
}

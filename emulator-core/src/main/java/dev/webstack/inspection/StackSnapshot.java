package dev.webstack.inspection;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything a test may want to know about a stack at one moment, as immutable values: its nodes with their
 * faults and request journals, the faults on links, each proxy's view of its servers in HAProxy's stats
 * vocabulary, and the latest events. {@link #toString()} is the readable dump a failing test prints.
 *
 * @param stack the stack's name
 * @param seed the stack's seed, to replay the run
 * @param time when the snapshot was taken, on the stack's clock
 * @param description the stack's {@code describe()} text: hosts, nodes, ports, DNS
 * @param nodes every node, in start order
 * @param linkFaults the faults active per link ({@code from->to}), for links that have any
 * @param backends per proxying node (balancer, web servers), its servers as it sees them, as text lines
 * @param recentEvents the latest events, oldest first
 */
public record StackSnapshot(String stack, long seed, Instant time, String description, List<NodeState> nodes,
    Map<String, List<String>> linkFaults, Map<String, List<String>> backends, List<StackEvent> recentEvents) {

  /** How many events a snapshot keeps. */
  public static final int RECENT_EVENTS = 50;

  /** How many requests per node the text dump shows. */
  static final int DUMP_REQUESTS = 5;

  public StackSnapshot {
    nodes = List.copyOf(nodes);
    linkFaults = Map.copyOf(linkFaults);
    backends = Map.copyOf(backends);
    recentEvents = List.copyOf(recentEvents);
  }

  /** The node's state, by name. */
  public NodeState node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in the snapshot of " + stack + " ("
            + nodes.stream().map(NodeState::name).collect(Collectors.joining(", ")) + ")"));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("=== webstack dump of ").append(stack).append(" at ").append(time)
        .append(" (seed ").append(seed).append(") ===\n").append(description).append('\n');
    for (NodeState n : nodes) {
      b.append("node ").append(n.name()).append(" [").append(n.role()).append("] ")
          .append(n.running() ? "up" : "DOWN");
      n.journal().ifPresent(j -> b.append(", ").append(j.total()).append(" requests ").append(j.byStatus().entrySet()
          .stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "×" + e.getValue())
          .collect(Collectors.joining(" ", "(", ")"))));
      b.append('\n');
      n.faults().forEach(f -> b.append("  fault ").append(f).append('\n'));
      n.journal().ifPresent(j -> {
        List<RequestRecord> latest = j.latest();
        latest.subList(Math.max(0, latest.size() - DUMP_REQUESTS), latest.size())
            .forEach(r -> b.append("  ").append(r).append('\n'));
      });
    }
    backends.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      b.append("backend of ").append(e.getKey()).append('\n');
      e.getValue().forEach(line -> b.append("  ").append(line).append('\n'));
    });
    linkFaults.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> e.getValue().forEach(f -> b.append("link ").append(e.getKey()).append(": ").append(f)
            .append('\n')));
    b.append("last ").append(recentEvents.size()).append(" events:\n");
    recentEvents.forEach(e -> b.append("  ").append(e).append('\n'));
    return b.append("=== replay with StackSpec...toBuilder().seed(").append(seed).append("L) ===").toString();
  }
}

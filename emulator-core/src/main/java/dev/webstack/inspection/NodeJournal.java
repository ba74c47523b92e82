package dev.webstack.inspection;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of one node's request journal: the latest requests it saw (up to {@link #CAPACITY}, oldest first)
 * and counters over every request since the stack started. Immutable.
 *
 * @param node the node's name
 * @param total every request the node completed
 * @param byStatus completed requests per status answered (0: the connection closed before an answer)
 * @param faulted requests a fault acted on
 * @param latest the latest requests, oldest first
 */
public record NodeJournal(String node, long total, Map<Integer, Long> byStatus, long faulted,
    List<RequestRecord> latest) {

  /** How many requests a journal keeps. */
  public static final int CAPACITY = 1000;

  public NodeJournal {
    byStatus = Map.copyOf(byStatus);
    latest = List.copyOf(latest);
  }

  /** The requests answered with {@code status}. */
  public long count(int status) {
    return byStatus.getOrDefault(status, 0L);
  }

  /** How many of the latest requests this node forwarded to {@code upstream}. */
  public long forwardedTo(String upstream) {
    return latest.stream().filter(r -> r.upstream().filter(upstream::equals).isPresent()).count();
  }

  @Override
  public String toString() {
    return node + ": " + total + " requests " + new TreeMap<>(byStatus) + (faulted == 0 ? "" : ", " + faulted
        + " faulted");
  }
}

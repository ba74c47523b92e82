package dev.webstack.database;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Two nodes accepted writes at the same time: a failover without fencing left the old primary writable while it
 * still ran, and clients (a router following {@code read_only}, as ProxySQL's monitor does, or a direct client)
 * wrote to both.
 *
 * @param detectedAt when the stack first saw two writable nodes commit
 * @param writers the writable nodes
 * @param divergent per node, the transactions it executed that another writer lacks ({@code GTID_SUBTRACT} both
 *     ways); non-empty on two nodes means the histories forked. A {@link DatabaseCluster#rebuild} of a writer
 *     wipes its side of the fork from the node, not from this report: the sets then also hold what the writers
 *     diverged by when the rebuild ran, so the report still tells that the fork happened and what it held.
 */
public record SplitBrainReport(Instant detectedAt, List<String> writers, Map<String, GtidSet> divergent) {

  /** True when at least two writers each have transactions the other lacks. */
  public boolean diverged() {
    return divergent.values().stream().filter(g -> !g.isEmpty()).count() >= 2;
  }
}

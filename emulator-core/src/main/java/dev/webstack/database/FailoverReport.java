package dev.webstack.database;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a failover did and what it cost.
 *
 * @param at when it happened, on the stack's clock
 * @param reason why: {@code "requested"} or the detection that triggered it
 * @param oldPrimary the node that was primary
 * @param newPrimary the replica promoted
 * @param fenced whether the old primary was fenced (made {@code super_read_only}); false reproduces split brain
 *     when it still runs
 * @param lostAcknowledged the acknowledged transactions this failover lost: acknowledged to a client by any node
 *     while it was a writer (the old primary, an earlier primary, an unfenced node in split brain) and not executed
 *     by the new primary, less those an earlier failover already reported: {@code GTID_SUBTRACT(acked(all),
 *     gtid_executed(new))} minus earlier reports. After a second failover this includes writes of the first
 *     primary that the second had executed but the new primary never received. Each lost GTID is in exactly one
 *     report; {@link DatabaseCluster#lostAcknowledged()} is the cumulative view
 * @param lostRows the rows those transactions changed
 * @param errant per re-pointed replica, the transactions it executed that the new primary lacks
 * @param semiSyncFallbacks the semi-sync fallback windows of the old primary
 * @param duration how long promotion took in real time, mostly draining the relay log
 */
public record FailoverReport(
    Instant at,
    String reason,
    String oldPrimary,
    String newPrimary,
    boolean fenced,
    GtidSet lostAcknowledged,
    List<RowRef> lostRows,
    Map<String, GtidSet> errant,
    List<SemiSyncFallback> semiSyncFallbacks,
    Duration duration) {

  /** The keys of lost rows of one table, each key's values joined by {@code ","}: for single-column keys, the key. */
  public Set<String> lostKeys(String table) {
    return lostRows.stream().filter(r -> r.table().equals(table))
        .map(r -> r.key().stream().map(String::valueOf).collect(Collectors.joining(",")))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  @Override
  public String toString() {
    return "failover at " + at + " (" + reason + "): " + oldPrimary + " -> " + newPrimary
        + (fenced ? ", old primary fenced" : ", NOT fenced") + ", lost " + lostAcknowledged.size()
        + " acknowledged transaction(s)" + (lostAcknowledged.isEmpty() ? "" : " " + lostAcknowledged + " " + lostRows)
        + ", took " + duration.toNanos() / 1000 + " µs";
  }
}

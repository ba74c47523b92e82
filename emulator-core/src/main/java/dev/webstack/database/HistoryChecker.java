package dev.webstack.database;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checkers for the anomalies of a replicated database, over an {@link OperationHistory} of reads and writes of
 * registers (one value per key, every write's value unique per key).
 *
 * <ul>
 *   <li>{@link #staleReads}: a read returned a value older than a write that completed before the read began
 *       (or nothing, when such a write exists): linearizability of the register broken, the classic replica lag.
 *   <li>{@link #readYourWrites}: the same, counting only the reading process's own writes: a session does not see
 *       what it just wrote.
 *   <li>{@link #lostWrites}: a write acknowledged (ok) whose value is neither in the final state nor overwritten by
 *       a write that may come after it: what a failover lost.
 * </ul>
 *
 * A read may legally return the value of any write concurrent with it. Failed writes never happened; indeterminate
 * ({@code info}) writes may have, so they never count as lost and may explain what a read saw.
 */
public final class HistoryChecker {

  private HistoryChecker() {}

  public static List<Anomaly> staleReads(List<Operation> history) {
    return stale(history, false);
  }

  public static List<Anomaly> readYourWrites(List<Operation> history) {
    return stale(history, true);
  }

  private static List<Anomaly> stale(List<Operation> history, boolean ownOnly) {
    Map<String, List<Operation>> writes = writesByKey(history);
    List<Anomaly> out = new ArrayList<>();
    for (Operation r : history) {
      if (!r.isRead() || r.outcome() != Operation.Outcome.OK) {
        continue;
      }
      List<Operation> ws = writes.getOrDefault(r.key(), List.of());
      // The latest write that completed before the read began (by this process only, for read-your-writes).
      Operation latest = null;
      for (Operation w : ws) {
        if (w.outcome() == Operation.Outcome.OK && w.precedes(r) && (!ownOnly || w.process().equals(r.process()))
            && (latest == null || w.completedAt() > latest.completedAt())) {
          latest = w;
        }
      }
      if (latest == null) {
        continue;
      }
      Operation seen = null;
      for (Operation w : ws) {
        if (Objects.equals(w.value(), r.value()) && w.outcome() != Operation.Outcome.FAIL) {
          seen = w;
        }
      }
      // Stale when the read saw nothing, or a write that completed before the latest one was even invoked.
      boolean isStale = r.value() == null || seen == null || (seen != latest && seen.precedes(latest));
      if (isStale) {
        out.add(new Anomaly(ownOnly ? "read-your-writes" : "stale-read", r, latest.value(), String.format(
            "%s read %s=%s%s, but %s wrote %s before the read began", r.process(), r.key(), r.value(),
            r.node() == null ? "" : " on " + r.node(), latest.process(), latest.value())));
      }
    }
    return out;
  }

  /**
   * @param finalState every key's value as read from the primary once the dust settled (absent: no row)
   */
  public static List<Anomaly> lostWrites(List<Operation> history, Map<String, String> finalState) {
    Map<String, List<Operation>> writes = writesByKey(history);
    List<Anomaly> out = new ArrayList<>();
    for (Operation w : history) {
      if (!w.isWrite() || w.outcome() != Operation.Outcome.OK) {
        continue;
      }
      String fin = finalState.get(w.key());
      if (Objects.equals(fin, w.value())) {
        continue;
      }
      boolean overwritten = false;
      for (Operation other : writes.getOrDefault(w.key(), List.of())) {
        if (other != w && other.outcome() != Operation.Outcome.FAIL && Objects.equals(other.value(), fin)
            && !other.precedes(w)) {
          overwritten = true; // a write that may follow w explains the final value
        }
      }
      if (!overwritten) {
        out.add(new Anomaly("lost-write", w, w.value(), String.format(
            "%s wrote %s=%s (acknowledged), but the final state has %s", w.process(), w.key(), w.value(),
            fin == null ? "no such key" : fin)));
      }
    }
    return out;
  }

  private static Map<String, List<Operation>> writesByKey(List<Operation> history) {
    Map<String, List<Operation>> out = new HashMap<>();
    for (Operation op : history) {
      if (op.isWrite()) {
        out.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      }
    }
    return out;
  }
}

package dev.webstack.internal;

import dev.webstack.inspection.NodeJournal;
import dev.webstack.inspection.RequestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One node's request journal: a bounded ring of the latest requests plus counters. Thread-safe. */
final class Journal {

  private final String node;
  private final ArrayDeque<RequestRecord> latest = new ArrayDeque<>();
  private final Map<Integer, Long> byStatus = new HashMap<>();
  private long total;
  private long faulted;

  Journal(String node) {
    this.node = node;
  }

  synchronized void record(Instant time, String method, String path, int status, long latencyNanos, String upstream,
      String fault) {
    total++;
    Long count = byStatus.get(status);
    byStatus.put(status, count == null ? 1L : count + 1);
    if (fault != null) {
      faulted++;
    }
    if (latest.size() == NodeJournal.CAPACITY) {
      latest.removeFirst();
    }
    latest.addLast(new RequestRecord(total, time, node, method, path, status, Duration.ofNanos(latencyNanos),
        Optional.ofNullable(upstream), Optional.ofNullable(fault)));
  }

  synchronized NodeJournal snapshot() {
    return new NodeJournal(node, total, byStatus, faulted, latest.stream().toList());
  }
}

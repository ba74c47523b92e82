package dev.webstack.database;

import java.time.Instant;
import java.util.List;

/**
 * One transaction of a node's binary log: its GTID ({@code uuid:id}), its original commit time on the stack's
 * clock (kept by every replica that applies it, as MySQL's {@code original_commit_timestamp}) and its events in
 * order: {@link RowEvent}s and at most one {@link StatementEvent} (DDL is a transaction of its own).
 */
record BinlogTx(String uuid, long id, long commitNanos, Instant commitTime, List<Object> events) {

  String gtid() {
    return uuid + ":" + id;
  }

  /** A row image: {@code before} null for an insert, {@code after} null for a delete. */
  record RowEvent(String table, Object[] before, Object[] after) {}

  /** A DDL (or TRUNCATE) statement, logged as text as MySQL does in every binlog format. */
  record StatementEvent(String sql) {}
}

package dev.webstack.database;

import java.util.List;
import org.h2.value.Value;
import org.h2.value.ValueToObjectConverter;

/**
 * One transaction of a node's binary log: its GTID ({@code uuid:id}), its original commit time on the stack
 * clock's {@code nanoTime} scale (kept by every replica that applies it, as MySQL's {@code
 * original_commit_timestamp}; lags and delays count from it) and its events in order: {@link RowEvent}s, then
 * any {@link SequenceEvent}s, or one {@link StatementEvent} (DDL is a transaction of its own).
 */
record BinlogTx(String uuid, long id, long commitNanos, List<Object> events) {

  String gtid() {
    return uuid + ":" + id;
  }

  /**
   * A row image as H2's immutable values: {@code before} null for an insert, {@code after} null for a delete. The
   * applier binds them as they are; {@link #javaValue} turns one into what JDBC's {@code getObject} returns.
   * {@code statement} numbers the statement that changed the row within its connection (consecutive events with
   * the same number come from one statement, which the applier may apply as a whole); 0 for rows of a prepared
   * statement's batch, which are applied one after the other, as the batch ran.
   */
  record RowEvent(String table, Value[] before, Value[] after, int statement) {}

  /** One captured value as the JDBC object H2 returns for it ({@code Long}, {@code String}, {@code Timestamp}...). */
  static Object javaValue(Value v) {
    return ValueToObjectConverter.valueToDefaultObject(v, null, true);
  }

  /**
   * A DDL (or TRUNCATE) statement, logged as text as MySQL does in every binlog format, with the schema that was
   * the session's current one when it ran: a replica runs it there, as MySQL's Query event carries the default
   * database ({@code USE db}) for the replica to run the statement in. Without it, {@code SET SCHEMA shop} then
   * {@code CREATE TABLE t} made {@code shop.t} on the source and {@code public.t} on every replica.
   */
  record StatementEvent(String sql, String schema) {}

  /**
   * Sequence {@code schema.name} ({@code CREATE SEQUENCE}) has handed out {@code value}: a replica raises its own
   * copy past it, so that once promoted it does not hand out a value the source already did. Logged with the
   * commit after a sequence moved, as MariaDB logs a sequence's new state in row format; values drawn and rolled
   * back stay drawn, as in H2 and MySQL's AUTO_INCREMENT.
   */
  record SequenceEvent(String schema, String name, long value) {}
}

package dev.webstack.database.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.h2.api.ErrorCode;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;
import org.h2.schema.Schema;
import org.h2.schema.Sequence;
import org.h2.table.Table;

/**
 * Moves a table's identity (auto-increment) counter past explicitly inserted values once per applied batch
 * instead of once per row.
 *
 * <p>Why: in MySQL mode H2 advances an identity column's sequence whenever a row arrives with an explicit value
 * above it, and writes the sequence's definition to its metadata table in a system transaction each time
 * ({@code Column.updateSequenceIfRequired}, {@code Sequence.flush}). A replica's applier inserts every row with the
 * primary's identity value, so it paid that metadata write for every row: measured, 35 % of the applier's CPU, as
 * much as the insert itself. Raising the counter first to the batch's highest value leaves H2's per-row check
 * finding nothing to do, and ends in the state the per-row updates reached: the counter past the highest applied
 * value, as a MySQL replica's {@code AUTO_INCREMENT} is after it applied the same rows. As in H2 and MySQL, the
 * counter is not transactional: a batch that fails leaves it raised.
 *
 * <p>Tied to H2's internal schema API of the pinned H2 version. Not part of the library's API.
 */
public final class Identity {

  private Identity() {}

  /**
   * Raises the identity sequence of column {@code column} (0-based) of table {@code table} in schema {@code
   * schemaName} so that it will not generate {@code value} or anything below it, exactly as H2 does for one row
   * inserted with that value. Does nothing if the column has no sequence, the database's mode does not advance
   * sequences on explicit values, or the sequence is already past it.
   *
   * @param connection an embedded H2 connection (not a wrapper)
   */
  public static void raise(Connection connection, String schemaName, String table, int column, long value)
      throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    if (!session.getMode().updateSequenceOnManualIdentityInsertion) {
      return;
    }
    Schema schema = session.getDatabase().findSchema(schemaName);
    Table t = schema == null ? null : schema.findTableOrView(session, table);
    if (t == null || column >= t.getColumns().length) {
      return;
    }
    Sequence sequence = t.getColumn(column).getSequence();
    if (sequence != null) {
      raise(session, sequence, value);
    }
  }

  /**
   * Raises sequence {@code name} of schema {@code schemaName} so that it will not hand out {@code value} or anything
   * before it: what a replica does with the source's {@code BinlogTx.SequenceEvent}. Does nothing if there is no
   * such sequence (a later DDL dropped it) or it is already past the value.
   *
   * @param connection an embedded H2 connection (not a wrapper)
   */
  public static void raiseSequence(Connection connection, String schemaName, String name, long value)
      throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    Schema schema = session.getDatabase().findSchema(schemaName);
    Sequence sequence = schema == null ? null : schema.findSequence(name);
    if (sequence != null) {
      raise(session, sequence, value);
    }
  }

  /**
   * The database's own sequences ({@code CREATE SEQUENCE}), not those of identity columns, which {@link #raise}
   * handles through their tables.
   *
   * @param connection an embedded H2 connection (not a wrapper)
   */
  public static List<Sequence> userSequences(Connection connection) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    List<Sequence> out = new ArrayList<>();
    for (Schema schema : session.getDatabase().getAllSchemasNoMeta()) {
      for (Sequence sequence : schema.getAllSequences()) {
        if (!sequence.getBelongsToTable()) {
          out.add(sequence);
        }
      }
    }
    return out;
  }

  /**
   * The value {@code sequence} last handed out, or null when it has handed out none since it was created: nothing
   * a replica needs to know.
   */
  public static Long lastValue(Sequence sequence) {
    synchronized (sequence) {
      return sequence.getBaseValue() == sequence.getStartValue() ? null : sequence.getCurrentValue();
    }
  }

  private static void raise(SessionLocal session, Sequence sequence, long value) throws SQLException {
    try {
      synchronized (sequence) { // as H2 does: a concurrent session may draw from the sequence
        if (sequence.getCycle() == Sequence.Cycle.EXHAUSTED) {
          return;
        }
        long current = sequence.getCurrentValue();
        long increment = sequence.getIncrement();
        if (increment > 0 ? value <= current : value >= current) {
          return;
        }
        try {
          sequence.modify(value + increment, null, null, null, null, null, null);
        } catch (DbException e) {
          if (e.getErrorCode() == ErrorCode.SEQUENCE_ATTRIBUTES_INVALID_7) {
            return; // beyond the sequence's bounds: H2 leaves it as it is, and so do we
          }
          throw e;
        }
      }
      sequence.flush(session);
    } catch (DbException e) {
      throw DbException.toSQLException(e);
    }
  }
}

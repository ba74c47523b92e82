package dev.webstack.database.internal;

import java.sql.SQLException;
import java.util.List;
import org.h2.command.ddl.CreateTableData;
import org.h2.constraint.Constraint;
import org.h2.engine.SessionLocal;
import org.h2.message.DbException;
import org.h2.mvstore.db.MVTable;
import org.h2.result.Row;
import org.h2.schema.TriggerObject;
import org.h2.value.Value;
import org.h2.value.ValueLob;
import org.h2.value.ValueVarbinary;
import org.h2.value.ValueVarchar;

/**
 * The row-image capture of the replication log: an H2 table engine (named in the database URL's {@code
 * DEFAULT_TABLE_ENGINE}) whose tables are H2's own MVStore tables that also hand every changed row to the {@link
 * Capture.RowSink} of the statement running in the thread.
 *
 * <p>Why an engine and not an {@code AFTER ... FOR EACH ROW} trigger, which earlier versions used: H2 fires a Java
 * trigger through a new {@code JdbcConnection} per row and converts both row images to Java objects, which cost
 * about 4 % of a single-row autocommit insert; here the capture keeps H2's immutable {@link Value}s (the applier
 * binds them as they are) and the hook is the same one triggers use ({@code Table.fireAfterRow}, called by INSERT,
 * UPDATE, DELETE and MERGE after the row is in every index, never for a rollback), so it sees exactly the rows a
 * trigger saw. Every table a client creates gets it, ALTER TABLE's rebuilt copy included, with nothing to install.
 * Temporary tables are not captured, as MySQL does not log them in row format; tables of every schema are, as
 * MySQL logs every database (a table outside {@code public} is named {@code schema.table} in the log). While a replica's
 * applier runs ({@link Capture#APPLIER}) the tables fire none of the user's triggers: MySQL's replica does not fire
 * triggers for row-based events, the rows the trigger wrote on the source arrive as events of their own.
 *
 * <p>Tied to H2's internal table API ({@code MVTable}, {@code Store.createTable}) of the pinned H2 version.
 *
 * <p>Not part of the library's API: public only because H2 instantiates table engines by class name.
 */
public final class CaptureEngine implements org.h2.api.TableEngine {

  /** The URL setting that makes every table a database creates a capturing one. */
  public static final String URL_SETTING = ";DEFAULT_TABLE_ENGINE=" + CaptureEngine.class.getName();

  @Override
  public org.h2.table.Table createTable(CreateTableData data) {
    return new CapturingTable(data, !data.temporary);
  }

  /** H2's own table, plus the capture. */
  private static final class CapturingTable extends MVTable {
    private final boolean captured;

    CapturingTable(CreateTableData data, boolean captured) {
      super(data, data.session.getDatabase().getStore());
      this.captured = captured;
    }

    /** Always true, as for a table with triggers, so that H2 calls {@link #fireAfterRow} for every row. */
    @Override
    public boolean fireRow() {
      return true;
    }

    /**
     * Triggers first, then constraints, as H2 does; while an applier applies, constraints only. A table without
     * triggers (the usual case) skips the look at the thread's slot: H2's own call checks the constraints alone.
     */
    @Override
    public boolean fireBeforeRow(SessionLocal session, Row oldRow, Row newRow) {
      if (hasTriggers() && isApplier(Capture.slot().sink)) {
        checkConstraints(session, oldRow, newRow, true);
        return false;
      }
      return super.fireBeforeRow(session, oldRow, newRow);
    }

    @Override
    public void fire(SessionLocal session, int type, boolean beforeAction) {
      if (hasTriggers() && !isApplier(Capture.slot().sink)) {
        super.fire(session, type, beforeAction);
      }
    }

    @Override
    public void fireAfterRow(SessionLocal session, Row oldRow, Row newRow, boolean rollback) {
      Capture.RowSink sink = Capture.slot().sink;
      if (sink == Capture.APPLIER) {
        if (!rollback) {
          checkConstraints(session, oldRow, newRow, false);
        }
        return;
      }
      if (sink == Capture.APPLIER_STATEMENT) {
        return; // after-row constraints are foreign keys only, which a whole statement's apply skips
      }
      if (captured && !rollback && sink != null) {
        try {
          // Before the user's own AFTER triggers: rows they write elsewhere (a child row, say) follow this one in
          // the log, as they follow it in the database.
          sink.row(logName(), image(oldRow), image(newRow));
        } catch (SQLException e) {
          throw DbException.convert(e); // reaches the client as this very SQLException
        }
      }
      super.fireAfterRow(session, oldRow, newRow, rollback);
    }

    /**
     * The table's name in the log: its own in the default schema, {@code schema.table} in any other (as {@code
     * TableInfo.logName}). Asked per row rather than kept: {@code ALTER TABLE ... RENAME} renames this very object.
     */
    private String logName() {
      String schema = getSchema().getName();
      return "public".equals(schema) ? getName() : schema + "." + getName();
    }

    private static boolean isApplier(Capture.RowSink sink) {
      return sink == Capture.APPLIER || sink == Capture.APPLIER_STATEMENT;
    }

    private boolean hasTriggers() {
      List<TriggerObject> triggers = getTriggers();
      return triggers != null && !triggers.isEmpty();
    }

    /**
     * H2's constraint checks (foreign keys, CHECK) without the triggers, for the applier: a MySQL replica enforces
     * foreign keys on row events. The same loop as H2's private {@code Table.fireConstraints}.
     */
    private void checkConstraints(SessionLocal session, Row oldRow, Row newRow, boolean before) {
      for (Constraint c : getConstraints()) {
        if (c.isBefore() == before) {
          c.checkRow(session, this, oldRow, newRow);
        }
      }
    }

    private static Value[] image(Row row) {
      if (row == null) {
        return null;
      }
      int n = row.getColumnCount();
      Value[] out = new Value[n];
      for (int i = 0; i < n; i++) {
        Value v = row.getValue(i);
        if (v instanceof ValueLob lob) {
          v = lob.getValueType() == Value.CLOB ? ValueVarchar.get(lob.getString())
              : ValueVarbinary.getNoCopy(lob.getBytes());
        }
        out[i] = v;
      }
      return out;
    }
  }
}

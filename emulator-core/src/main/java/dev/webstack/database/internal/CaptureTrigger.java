package dev.webstack.database.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The row-image capture of the replication log: an H2 {@code AFTER INSERT, UPDATE, DELETE ... FOR EACH ROW}
 * trigger that hands every changed row to the {@link RowSink} the client's connection installed for the statement
 * it runs. Embedded H2 fires triggers in the caller's thread, so a thread-local reaches the right transaction.
 * Writes with no sink installed (schema scripts, the replication applier) are not captured.
 *
 * <p>Not part of the library's API: public only because H2 instantiates triggers by class name.
 */
public final class CaptureTrigger implements org.h2.api.Trigger {

  /**
   * The sink of the statement running in this thread, or null. Cleared with {@code set(null)} rather than {@code
   * remove()}: removing and re-adding the entry for every statement costs more than the statement's capture.
   */
  public static final ThreadLocal<RowSink> CURRENT = new ThreadLocal<>();

  private String table;

  /** Receives the row images of one client transaction. */
  public interface RowSink {
    /**
     * One changed row: {@code before} is null for an insert, {@code after} null for a delete.
     *
     * @throws SQLException to fail the statement, as a read-only server does
     */
    void row(String table, Object[] before, Object[] after) throws SQLException;
  }

  @Override
  public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
      int type) {
    this.table = tableName;
  }

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    RowSink sink = CURRENT.get();
    if (sink != null) {
      // No copies: H2 converts every row into fresh arrays for each fire and reads nothing back from an AFTER
      // trigger's arrays (it does only for BEFORE triggers).
      sink.row(table, oldRow, newRow);
    }
  }
}

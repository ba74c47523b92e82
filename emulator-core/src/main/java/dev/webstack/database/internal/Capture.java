package dev.webstack.database.internal;

import java.sql.SQLException;
import org.h2.value.Value;

/**
 * Where captured row images go: the {@link RowSink} that a client's connection installs, in its own thread, for
 * the statement it runs. Embedded H2 runs a statement, and so its {@link CaptureEngine} tables' row events, in the
 * caller's thread, so a thread-local reaches the right transaction. Writes with no sink installed (schema scripts,
 * the replication applier) are not captured.
 *
 * <p>Not part of the library's API.
 */
public final class Capture {

  /**
   * The sink of the statement running in this thread, or null. Cleared with {@code set(null)} rather than {@code
   * remove()}: removing and re-adding the entry for every statement costs more than the statement's capture.
   */
  public static final ThreadLocal<RowSink> CURRENT = new ThreadLocal<>();

  /**
   * Installed by a replica's applier while it applies row events: tables then fire none of the user's triggers,
   * as MySQL's replica does not for row-based events (the trigger's own writes arrive as rows of their own).
   */
  public static final RowSink APPLIER = (table, before, after) -> {};

  private Capture() {}

  /** Receives the row images of one client transaction. */
  public interface RowSink {
    /**
     * One changed row, as H2's immutable values in column order: {@code before} is null for an insert, {@code
     * after} null for a delete. Large objects arrive copied into plain character or byte strings: an H2 LOB value
     * refers to its own database's LOB storage, which a rejoin ({@code DROP ALL OBJECTS}) can drop while the image
     * still waits in a replica's relay log.
     *
     * @throws SQLException to fail the statement, as a read-only server does
     */
    void row(String table, Value[] before, Value[] after) throws SQLException;
  }
}

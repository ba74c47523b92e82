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

  private static final ThreadLocal<Slot> SLOT = new ThreadLocal<>() {
    @Override
    protected Slot initialValue() {
      return new Slot();
    }
  };

  /**
   * Installed by a replica's applier while it applies row events: tables then fire none of the user's triggers,
   * as MySQL's replica does not for row-based events (the trigger's own writes arrive as rows of their own).
   */
  public static final RowSink APPLIER = (table, before, after) -> {};

  /**
   * {@link #APPLIER} while it applies one multi-row statement as a whole (every old row removed, then every new row
   * added, as H2 ran it on the source): foreign keys are not checked then, since between the two halves a child
   * may briefly lack its parent, and a cascade would remove rows the statement's own events remove or keep. The
   * statement passed every check on the source.
   */
  public static final RowSink APPLIER_STATEMENT = (table, before, after) -> {};

  private Capture() {}

  /**
   * This thread's slot. A statement sets and clears the slot's field rather than the thread-local itself: {@code
   * ThreadLocal.set} writes the thread's map twice per statement, which measured more than the statement's capture.
   */
  public static Slot slot() {
    return SLOT.get();
  }

  /** The sink of the statement running in one thread. */
  public static final class Slot {
    /** The running statement's sink, {@link #APPLIER} while an applier applies, else null. */
    public RowSink sink;

    private Slot() {}
  }

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

package dev.webstack.database;

import dev.webstack.StackClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations clients ran against the database, recorded by the test (or the application) around each call,
 * as Jepsen records a history: {@code invoke} before, then {@code ok}, {@code fail} or {@code info} after.
 * {@link HistoryChecker} finds stale reads, read-your-writes violations and lost writes in it.
 *
 * <p>{@snippet :
 * OperationHistory.Pending op = history.invoke("client-1", Operation.WRITE, "k1", "v1");
 * try {
 *   post("/api/kv/k1", "v1");
 *   op.ok();
 * } catch (IOException e) {
 *   op.info(); // the write may or may not have happened
 * }
 * }
 *
 * <p>Thread-safe; positions are assigned in real-time order across threads.
 */
public final class OperationHistory {

  private final StackClock clock;
  private final List<Operation> operations = new ArrayList<>();
  private long position;

  OperationHistory(StackClock clock) {
    this.clock = clock;
  }

  /** Records the invocation of an operation; complete it with the returned handle. */
  public synchronized Pending invoke(String process, String f, String key, String value) {
    Operation op = new Operation(process, f, key, value, Operation.Outcome.PENDING, ++position, Long.MAX_VALUE,
        clock.instant(), null, null);
    operations.add(op);
    return new Pending(operations.size() - 1);
  }

  /** Every operation so far, in invocation order. */
  public synchronized List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** Forgets everything recorded. */
  public synchronized void clear() {
    operations.clear();
  }

  private synchronized void complete(int index, Operation.Outcome outcome, String value, boolean setValue,
      String node) {
    Operation op = operations.get(index);
    if (op.outcome() != Operation.Outcome.PENDING) {
      throw new IllegalStateException("operation " + op + " was already completed");
    }
    Instant now = clock.instant();
    operations.set(index, new Operation(op.process(), op.f(), op.key(), setValue ? value : op.value(), outcome,
        op.invokedAt(), ++position, op.invokeTime(), now, node));
  }

  /** An invoked operation waiting for its outcome. */
  public final class Pending {
    private final int index;

    private Pending(int index) {
      this.index = index;
    }

    /** The write happened. */
    public void ok() {
      complete(index, Operation.Outcome.OK, null, false, null);
    }

    /** The read returned {@code value} (null: nothing found). */
    public void ok(String value) {
      complete(index, Operation.Outcome.OK, value, true, null);
    }

    /** The read returned {@code value}, served by {@code node}. */
    public void ok(String value, String node) {
      complete(index, Operation.Outcome.OK, value, true, node);
    }

    /** The write happened on {@code node}. */
    public void okOn(String node) {
      complete(index, Operation.Outcome.OK, null, false, node);
    }

    /** Certainly did not happen (a refused connection, a constraint violation). */
    public void fail() {
      complete(index, Operation.Outcome.FAIL, null, false, null);
    }

    /** May or may not have happened (a timeout, a connection lost during commit). */
    public void info() {
      complete(index, Operation.Outcome.INFO, null, false, null);
    }
  }
}

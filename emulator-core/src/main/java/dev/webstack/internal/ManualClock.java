package dev.webstack.internal;

import static dev.webstack.internal.Checks.checkArgument;
import static dev.webstack.internal.Checks.checkState;

import dev.webstack.StackClock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock that moves only when the test calls {@link #advance}. Due tasks run in the advancing thread, in due
 * order, ties in scheduling order, so a test that advances by a health check's interval has seen that check's
 * result when {@code advance} returns. It starts at {@link #EPOCH} so that journals of two runs compare equal.
 */
public final class ManualClock implements StackClock {

  /** The instant every manual clock starts at. */
  public static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now; // nanoseconds since EPOCH
  private long sequence;
  private Thread advancing;
  private boolean closed;

  @Override
  public synchronized Instant instant() {
    return EPOCH.plusNanos(now);
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public boolean isManual() {
    return true;
  }

  @Override
  public void advance(Duration step) {
    checkArgument(!step.isNegative(), "step (%s) must not be negative", step);
    long target;
    synchronized (this) {
      checkState(!closed, "the stack is closed; its clock no longer moves");
      checkState(advancing == null,
          "advance() was called again from a task it runs (or from two threads at once); advance from the test only");
      advancing = Thread.currentThread();
      target = now + step.toNanos();
    }
    try {
      while (true) {
        Task next;
        synchronized (this) {
          next = queue.peek();
          if (next == null || next.due > target || closed) {
            now = Math.max(now, target);
            return;
          }
          queue.poll();
          now = Math.max(now, next.due);
        }
        next.task.run();
      }
    } finally {
      synchronized (this) {
        advancing = null;
      }
    }
  }

  @Override
  public synchronized Scheduled schedule(Duration delay, Runnable task) {
    checkArgument(!delay.isNegative(), "delay (%s) must not be negative", delay);
    Task t = new Task(now + delay.toNanos(), ++sequence, task);
    if (!closed) {
      queue.add(t);
    }
    return () -> {
      synchronized (ManualClock.this) {
        queue.remove(t);
      }
    };
  }

  /** Drops every pending task; called by the stack's close. */
  public synchronized void close() {
    closed = true;
    queue.clear();
  }

  /** The number of tasks waiting, for the text dump. */
  public synchronized int pending() {
    return queue.size();
  }

  private record Task(long due, long sequence, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }
}

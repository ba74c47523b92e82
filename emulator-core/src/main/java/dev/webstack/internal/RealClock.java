package dev.webstack.internal;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.StackClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * Real time. Due tasks are timed by one of the stack's XNIO I/O threads (its timer queue, in whole milliseconds,
 * rounded up) and run one at a time, in the order they fell due, on the stack's task pool, never on the I/O thread
 * itself, so a task may block.
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor}: that is one more thread per stack to start and to join at
 * close, for timers the I/O threads keep anyway; starting and stopping it was a measurable part of a stack's
 * warm start and close.
 */
public final class RealClock implements StackClock {

  private static final Logger LOG = LoggerFactory.getLogger(RealClock.class);
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final Executor runner;
  private final Queue<Runnable> due = new ArrayDeque<>();
  private final Runnable drainer = new Drainer(); // not a method reference, which a cold JVM links on first use
  private boolean running;
  private volatile boolean closed;
  private XnioIoThread timer; // guarded by this; null until attach
  private List<Fire> early = new ArrayList<>(); // guarded by this; scheduled before attach

  /**
   * A clock whose timer is {@linkplain #attach attached} later: the stack's databases start (and may schedule)
   * while its XNIO worker is still being built.
   *
   * @param runner runs due tasks (the stack's task pool); at most one at a time is handed to it
   */
  public RealClock(Executor runner) {
    this.runner = runner;
  }

  /**
   * Times every task of this clock, from now on and those scheduled before, on {@code timer}'s queue (one thread,
   * so tasks that fall due at the same millisecond keep the order they were scheduled in).
   */
  public synchronized void attach(XnioIoThread timer) {
    Checks.checkState(this.timer == null, "the clock's timer is attached once");
    this.timer = timer;
    for (Fire fire : early) {
      if (!fire.cancelled) {
        arm(fire);
      }
    }
    early = null;
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public boolean isManual() {
    return false;
  }

  @Override
  public void advance(Duration step) {
    throw new IllegalStateException(
        "this stack runs on real time; build it with StackSpec.Builder.manualClock() to step time with advance()");
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable task) {
    checkArgument(!delay.isNegative(), "delay (%s) must not be negative", delay);
    if (closed) {
      throw new IllegalStateException("the stack's clock is closed with its stack");
    }
    Fire fire = new Fire(task, System.nanoTime() + delay.toNanos());
    synchronized (this) {
      if (timer == null) {
        early.add(fire);
      } else {
        arm(fire);
      }
    }
    return fire;
  }

  /** Puts the task on the timer's queue, due in whole milliseconds (rounded up) from now; caller holds the lock. */
  private void arm(Fire fire) {
    long nanos = Math.max(0, fire.dueAt - System.nanoTime());
    long millis = nanos / NANOS_PER_MILLI + (nanos % NANOS_PER_MILLI == 0 ? 0 : 1);
    try {
      fire.key = IoTimers.executeAfter(timer, fire, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException | IllegalStateException workerGone) {
      throw new IllegalStateException("the stack's clock is closed with its stack", workerGone);
    }
  }

  /** Runs the due tasks on the task pool. */
  private final class Drainer implements Runnable {
    @Override
    public void run() {
      drain();
    }
  }

  /** A task's timer: fires on the I/O thread and queues the task for the runner. */
  private final class Fire implements Runnable, Scheduled {
    private final Runnable task;
    private final long dueAt;
    volatile boolean cancelled;
    volatile XnioExecutor.Key key;

    Fire(Runnable task, long dueAt) {
      this.task = task;
      this.dueAt = dueAt;
    }

    @Override
    public void cancel() {
      cancelled = true;
      XnioExecutor.Key k = key;
      if (k != null) {
        k.remove();
      }
    }

    @Override
    public void run() {
      if (cancelled || closed) {
        return;
      }
      synchronized (due) {
        due.add(task);
        if (running) {
          return;
        }
        running = true;
      }
      try {
        runner.execute(drainer);
      } catch (RejectedExecutionException stackClosing) {
        synchronized (due) {
          running = false;
          due.clear();
        }
        LOG.debug("a task fell due while the stack closed; not run: {}", task, stackClosing);
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }

  /** Runs the due tasks one after the other, until none is left. */
  private void drain() {
    while (true) {
      Runnable next;
      synchronized (due) {
        next = closed ? null : due.poll();
        if (next == null) {
          running = false;
          due.clear();
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        LOG.error("a task scheduled on the stack's clock failed: {}", next, e);
      }
    }
  }

  /**
   * Stops running tasks: none starts after this returns (one running now finishes on the task pool, which the stack
   * shuts down and joins next). Pending timers are dropped with the stack's worker.
   */
  public void close() {
    closed = true;
  }
}

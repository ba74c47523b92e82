package dev.webstack.internal;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.StackClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real time, with one scheduler thread per stack ({@code webstack-<stack> clock}), started on the first
 * {@link #schedule} so that stacks which never schedule anything never start it.
 */
public final class RealClock implements StackClock {

  private static final Logger LOG = LoggerFactory.getLogger(RealClock.class);

  private final ThreadFactory threads;
  private ScheduledThreadPoolExecutor scheduler;
  private boolean closed;

  /** @param threads makes the scheduler's thread, named and grouped after the stack */
  public RealClock(ThreadFactory threads) {
    this.threads = threads;
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
    ScheduledFuture<?> f = scheduler().schedule(() -> runLogged(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.error("a task scheduled on the stack's clock failed: {}", task, e);
    }
  }

  private synchronized ScheduledThreadPoolExecutor scheduler() {
    if (closed) {
      throw new IllegalStateException("the stack's clock is closed with its stack");
    }
    if (scheduler == null) {
      scheduler = new ScheduledThreadPoolExecutor(1, threads);
      scheduler.setRemoveOnCancelPolicy(true);
      scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }
    return scheduler;
  }

  /** Stops the scheduler thread and waits for it; called by the stack's close. */
  public void close(Duration wait) throws InterruptedException {
    ScheduledThreadPoolExecutor s;
    synchronized (this) {
      closed = true;
      s = scheduler;
    }
    if (s != null) {
      s.shutdownNow();
      Checks.checkState(s.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS),
          "the stack's clock thread still runs %s after close", wait);
    }
  }
}

package dev.webstack;

import java.time.Duration;
import java.time.Instant;

/**
 * The time a stack lives by: health-check intervals, timed faults and journal timestamps all read it, so a test
 * that owns the clock owns every timer of the stack.
 *
 * <p>By default a stack runs on real time. Built with {@link StackSpec.Builder#manualClock()}, it runs on a clock
 * that stands still until the test calls {@link #advance(Duration)}, which runs every task that falls due, in
 * due order, in the calling thread, and returns when they are done. That is how a test steps through HAProxy's
 * {@code fall}/{@code rise} check counts one interval at a time, with no sleeps and no races.
 *
 * <p>What the clock does not govern: the network itself. Latency added to a link, socket timeouts and the time a
 * request takes are real time on every clock, because the bytes travel over real loopback sockets.
 *
 * <p>Thread-safe.
 */
public interface StackClock {

  /** The current instant: wall time on the real clock, the stepped time on a manual one. */
  Instant instant();

  /** A monotonic reading in nanoseconds, for measuring intervals on this clock. */
  long nanoTime();

  /** True for a clock built with {@link StackSpec.Builder#manualClock()}. */
  boolean isManual();

  /**
   * Moves a manual clock forward, running every task due up to the new time in due order (ties in scheduling
   * order) in the calling thread; tasks those tasks schedule run too when they fall due within the step.
   *
   * @throws IllegalStateException on the real clock (build the stack with {@code manualClock()} to step time)
   * @throws IllegalArgumentException when {@code step} is negative
   */
  void advance(Duration step);

  /**
   * Runs {@code task} once after {@code delay}. Tasks must be short: on the real clock they share one thread per
   * stack, on a manual clock they run inside {@link #advance(Duration)}.
   *
   * @return a handle that cancels the task if it has not run yet
   */
  Scheduled schedule(Duration delay, Runnable task);

  /** A task scheduled on a {@link StackClock}. */
  interface Scheduled {
    /** Cancels the task; does nothing when it already ran or was cancelled. */
    void cancel();
  }
}

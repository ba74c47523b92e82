package dev.webstack.internal;

import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * XNIO's timers, safe to arm from any thread.
 *
 * <p>Why: {@link XnioIoThread#executeAfter} called from another thread wakes the I/O thread's selector only when
 * that thread is already selecting. An I/O thread that has read its next timeout (none, when it is idle) but not
 * yet begun to select misses the new timer and sleeps in {@code select()} until some I/O wakes it: on a stack with
 * no traffic, forever (XNIO 3.8's {@code WorkerThread.run} reads the timer queue under its lock, sets its {@code
 * polling} flag after that, and checks only the task queue again before selecting). A preemption at that point
 * stalled a replica's receiver for good in a benchmark. A task submitted with {@link XnioIoThread#execute} has no
 * such window, so after arming a timer from another thread this submits an empty task: the I/O thread goes round
 * its loop once more and reads the new timeout.
 */
final class IoTimers {

  private static final Runnable RECHECK_TIMERS = () -> {};

  private IoTimers() {}

  /** {@code thread.executeAfter(task, delay, unit)}, then a nudge when called from another thread. */
  static XnioExecutor.Key executeAfter(XnioIoThread thread, Runnable task, long delay, TimeUnit unit) {
    XnioExecutor.Key key = thread.executeAfter(task, delay, unit);
    if (Thread.currentThread() != thread) {
      thread.execute(RECHECK_TIMERS);
    }
    return key;
  }
}

package dev.webstack.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stack's pool for blocking work (application handlers, health checks, replication): up to {@code max} threads,
 * started only when no started thread is idle, stopped after 30 s idle; work beyond {@code max} running tasks waits
 * in a queue.
 *
 * <p>A plain {@code ThreadPoolExecutor(max, max, ..)} starts a new thread for each of the first {@code max} tasks
 * even when earlier threads sit idle, so a stack that serves ten requests one after the other would start ten
 * threads; starting a thread costs about as much as a request through the whole stack. Here a task goes to an
 * idle thread when there is one (the queue's {@code offer} succeeds only by reserving a waiting thread), a new
 * thread is started only when there is none, and only at the limit are tasks queued (as Tomcat's executor does).
 */
public final class TaskPool extends ThreadPoolExecutor {

  private static final long IDLE_SECONDS = 30;

  public TaskPool(int max, ThreadFactory threads) {
    super(0, max, IDLE_SECONDS, TimeUnit.SECONDS, new HandOffQueue(), threads, TaskPool::queueAtLimit);
  }

  /** Threads waiting for a task that no task has claimed yet (0 when tasks wait for threads). */
  int idleThreads() {
    return Math.max(0, ((HandOffQueue) getQueue()).idle.get());
  }

  /** All {@code max} threads are busy: the task waits for one of them, unless the pool is shut down. */
  private static void queueAtLimit(Runnable task, ThreadPoolExecutor pool) {
    if (pool.isShutdown()) {
      throw new RejectedExecutionException("the stack's task pool is shut down (the stack is closed)");
    }
    ((HandOffQueue) pool.getQueue()).enqueue(task);
  }

  /**
   * A queue that accepts an {@link #offer}ed task only by reserving a thread that waits in {@link #poll}, so the
   * pool starts a thread exactly when none is idle; {@link #enqueue} queues regardless. Not {@code
   * LinkedTransferQueue.tryTransfer}: its waiting threads spin and yield before they park, which on two cores
   * takes the CPU from the threads that have work.
   */
  private static final class HandOffQueue extends LinkedBlockingQueue<Runnable> {
    /**
     * Threads waiting in {@link #poll} minus tasks waiting in the queue: positive when that many threads are idle
     * and unreserved, negative when tasks queued at the limit wait for threads.
     */
    private final AtomicInteger idle = new AtomicInteger();

    @Override
    public boolean offer(Runnable task) {
      if (!takeIdle()) {
        return false;
      }
      super.offer(task); // unbounded: always succeeds
      return true;
    }

    void enqueue(Runnable task) {
      idle.decrementAndGet();
      super.offer(task);
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
      idle.incrementAndGet();
      Runnable task;
      try {
        task = super.poll(timeout, unit);
      } catch (InterruptedException e) {
        takeIdle(); // shutdownNow: a task reserved for this thread is drained with the rest of the queue
        throw e;
      }
      if (task != null) {
        return task; // the offer or enqueue that queued it already counted this thread as taken
      }
      if (!takeIdle()) { // withdraw this thread's own idle mark
        // As this thread gave up waiting, an offer reserved it (or tasks wait): one is (about to be) in the queue.
        return super.take();
      }
      return null;
    }

    /** Takes one idle mark (an offer reserving a thread, or a thread withdrawing); false when none is left. */
    private boolean takeIdle() {
      for (int n = idle.get(); n > 0; n = idle.get()) {
        if (idle.compareAndSet(n, n - 1)) {
          return true;
        }
      }
      return false;
    }
  }
}

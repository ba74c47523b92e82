package dev.webstack.internal;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A stack's pool for blocking work (application handlers, health checks, replication): up to {@code max} threads,
 * started only when no started thread is idle, stopped after 30 s idle; work beyond {@code max} running tasks waits
 * in a queue.
 *
 * <p>A plain {@code ThreadPoolExecutor(max, max, ..)} starts a new thread for each of the first {@code max} tasks
 * even when earlier threads sit idle, so a stack that serves ten requests one after the other would start ten
 * threads; starting a thread costs about as much as a request through the whole stack. Here a task goes to an
 * idle thread when there is one (the queue's {@code offer} is a {@link LinkedTransferQueue#tryTransfer}), a new
 * thread is started only when there is none, and only at the limit are tasks queued (as Tomcat's executor does).
 */
public final class TaskPool extends ThreadPoolExecutor {

  private static final long IDLE_SECONDS = 30;

  public TaskPool(int max, ThreadFactory threads) {
    super(0, max, IDLE_SECONDS, TimeUnit.SECONDS, new HandOffQueue(), threads, TaskPool::queueAtLimit);
  }

  /** All {@code max} threads are busy: the task waits for one of them, unless the pool is shut down. */
  private static void queueAtLimit(Runnable task, ThreadPoolExecutor pool) {
    if (pool.isShutdown()) {
      throw new RejectedExecutionException("the stack's task pool is shut down (the stack is closed)");
    }
    ((HandOffQueue) pool.getQueue()).enqueue(task);
  }

  /** Accepts an offered task only when a thread is waiting for one; {@link #enqueue} queues regardless. */
  private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
    @Override
    public boolean offer(Runnable task) {
      return tryTransfer(task);
    }

    void enqueue(Runnable task) {
      super.offer(task);
    }
  }
}

package dev.webstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskPoolTest {

  private final AtomicInteger started = new AtomicInteger();
  private final ThreadFactory threads = r -> {
    Thread t = new Thread(r, "task-pool-test-" + started.incrementAndGet());
    t.setDaemon(true);
    return t;
  };
  private TaskPool pool;

  @AfterEach
  void shutDown() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void tasksOneAfterTheOther_reuseOneThread() throws Exception {
    pool = new TaskPool(16, threads);
    Set<String> ranOn = ConcurrentHashMap.newKeySet();

    for (int i = 0; i < 50; i++) {
      pool.submit(() -> ranOn.add(Thread.currentThread().getName())).get(5, TimeUnit.SECONDS);
      awaitIdle(1); // the thread finished the task; it is idle once it waits for the next
    }

    assertThat(ranOn).containsExactly("task-pool-test-1");
    assertThat(started).hasValue(1);
  }

  @Test
  void aTaskWaitingForALaterOne_getsItRunOnAnotherThread_belowTheLimit() throws Exception {
    // As a semi-synchronous commit on one task waits for the replica's receiver on another.
    pool = new TaskPool(4, threads);
    CountDownLatch second = new CountDownLatch(1);
    Future<Boolean> first = pool.submit(() -> second.await(5, TimeUnit.SECONDS));

    pool.execute(second::countDown);

    assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(started).hasValue(2);
  }

  @Test
  void atTheLimit_tasksWaitForAThreadAndAllRun() throws Exception {
    pool = new TaskPool(2, threads);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch bothBusy = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(() -> {
        bothBusy.countDown();
        await(release);
      });
    }
    assertThat(bothBusy.await(5, TimeUnit.SECONDS)).isTrue();
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 20; i++) {
      pool.execute(ran::incrementAndGet);
    }
    assertThat(pool.getQueue()).hasSize(20);

    release.countDown();
    pool.shutdown(); // queued tasks still run
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

    assertThat(ran).hasValue(20);
    assertThat(started).hasValue(2);
  }

  @Test
  void manyConcurrentSubmitters_neverStrandATask() throws Exception {
    pool = new TaskPool(3, threads);
    int rounds = 2_000;
    AtomicInteger ran = new AtomicInteger();
    Thread[] submitters = new Thread[4];
    for (int s = 0; s < submitters.length; s++) {
      submitters[s] = new Thread(() -> {
        for (int i = 0; i < rounds; i++) {
          pool.execute(ran::incrementAndGet);
        }
      });
      submitters[s].start();
    }
    for (Thread t : submitters) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }

    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).hasValue(rounds * submitters.length);
    assertThat(started.get()).isBetween(1, 3);
  }

  @Test
  void afterShutdown_rejectsWithAMessage() {
    pool = new TaskPool(1, threads);
    pool.shutdown();

    assertThatThrownBy(() -> pool.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("shut down");
  }

  private void awaitIdle(int threads) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pool.idleThreads() != threads) {
      assertThat(System.nanoTime() - deadline).as("%s idle threads within 5 s", threads).isNegative();
      Thread.onSpinWait();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

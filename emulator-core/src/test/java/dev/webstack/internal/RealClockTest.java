package dev.webstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.StackClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

class RealClockTest {

  private XnioWorker worker;
  private TaskPool tasks;
  private RealClock clock;

  @BeforeEach
  void setUp() throws Exception {
    worker = Xnio.getInstance(RealClockTest.class.getClassLoader()).createWorkerBuilder()
        .setWorkerName("real-clock-test").setWorkerIoThreads(1).setDaemon(true).build();
    tasks = new TaskPool(4, r -> new Thread(r, "real-clock-test-task"));
    clock = new RealClock(tasks);
  }

  @AfterEach
  void tearDown() throws Exception {
    clock.close();
    worker.shutdown();
    assertThat(worker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    tasks.shutdownNow();
    assertThat(tasks.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTaskScheduledBeforeTheTimerIsAttached_runsOnceAttached() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    clock.schedule(Duration.ofMillis(1), ran::countDown);
    assertThat(ran.getCount()).as("ran before a timer was attached").isEqualTo(1);

    clock.attach(worker.getIoThread(0));

    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void dueTasks_runOneAtATime_inTheOrderTheyFellDue_offTheIoThread() throws Exception {
    clock.attach(worker.getIoThread(0));
    List<String> order = new CopyOnWriteArrayList<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(6);
    for (int i = 5; i >= 0; i--) {
      String name = "t" + i;
      clock.schedule(Duration.ofMillis(5L * i), () -> {
        if (running.incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        order.add(name + "@" + Thread.currentThread().getName());
        running.decrementAndGet();
        all.countDown();
      });
    }

    assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly("t0@real-clock-test-task", "t1@real-clock-test-task",
        "t2@real-clock-test-task", "t3@real-clock-test-task", "t4@real-clock-test-task", "t5@real-clock-test-task");
    assertThat(overlaps).hasValue(0);
  }

  @Test
  void aCancelledTask_neverRuns_beforeOrAfterAttach() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    StackClock.Scheduled early = clock.schedule(Duration.ofMillis(1), ran::incrementAndGet);
    early.cancel();
    clock.attach(worker.getIoThread(0));
    StackClock.Scheduled late = clock.schedule(Duration.ofMillis(20), ran::incrementAndGet);
    late.cancel();
    CountDownLatch marker = new CountDownLatch(1);
    clock.schedule(Duration.ofMillis(40), marker::countDown);

    assertThat(marker.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).hasValue(0);
  }

  @Test
  void afterClose_schedulingThrows_andPendingTasksDoNotRun() throws Exception {
    clock.attach(worker.getIoThread(0));
    AtomicInteger ran = new AtomicInteger();
    clock.schedule(Duration.ofMillis(20), ran::incrementAndGet);

    clock.close();

    assertThatThrownBy(() -> clock.schedule(Duration.ZERO, ran::incrementAndGet))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    CountDownLatch later = new CountDownLatch(1);
    worker.getIoThread(0).executeAfter(later::countDown, 60, TimeUnit.MILLISECONDS);
    assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).hasValue(0);
  }
}

package dev.webstack.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ServerSet} is documented thread-safe and changed "while traffic flows". */
class ServerSetConcurrencyTest {

  @Test
  void add_whileRequestsStartAndFinish_losesNoInFlightCount() throws Exception {
    ServerSet servers = new ServerSet();
    servers.add("a", 1);
    servers.add("b", 1);
    int threads = 2;
    int pairs = 200_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> traffic = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        traffic.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < pairs; i++) {
            servers.started(id);
            servers.finished(id);
          }
          return null;
        }));
      }
      start.countDown();
      // Servers join while the requests run (ServerSet: "the balancer (or a test) changes it while traffic flows").
      for (int i = 0; i < 2_000 && !traffic.stream().allMatch(Future::isDone); i++) {
        servers.add("added-" + i, 1);
      }
      for (Future<?> f : traffic) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(servers.totalInFlight()).isZero();
    assertThat(servers.inFlight(0)).as("in flight on a after every request finished").isZero();
    assertThat(servers.inFlight(1)).as("in flight on b after every request finished").isZero();
  }
}

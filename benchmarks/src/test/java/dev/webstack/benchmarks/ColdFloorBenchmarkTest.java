package dev.webstack.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/** The hand-built floor stack really serves the database's posts through both proxies, and stops its threads. */
class ColdFloorBenchmarkTest {

  @Test
  void handBuiltStack_servesThePostsFromH2ThroughBalancerAndWebServer_andStopsItsWorker() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    String body = ColdFloorBenchmark.bootRequestClose(http);

    assertThat(body).startsWith("[{\"id\":1,\"title\":\"Hello\"");
    // XNIO reports its worker terminated just before its task threads have exited: give each a bounded join.
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("floor")) {
        t.join(5_000);
      }
    }
    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive).extracting(Thread::getName)
        .noneMatch(name -> name.startsWith("floor"));
  }
}

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
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .noneMatch(name -> name.startsWith("floor"));
  }
}

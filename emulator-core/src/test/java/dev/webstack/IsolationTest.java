package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stacks in one JVM share nothing: names, ports, threads, databases and faults are their own. */
class IsolationTest {

  @Test
  void twoStacksSideBySide_shareNoPortsDatabasesOrThreads() {
    try (EmulatedStack a = StackSpec.distributed().start();
        EmulatedStack b = StackSpec.distributed().start()) {
      assertThat(a.name()).isNotEqualTo(b.name());
      List<Integer> portsA = a.nodes().stream().map(n -> n.address().getPort()).filter(p -> p > 0).toList();
      List<Integer> portsB = b.nodes().stream().map(n -> n.address().getPort()).filter(p -> p > 0).toList();
      assertThat(portsA).doesNotContainAnyElementsOf(portsB);
      assertThat(a.database().jdbcUrl()).isNotEqualTo(b.database().jdbcUrl());

      Http.post(a.httpClient(), "http://www.foobar.com/api/posts", "only in a");
      HttpResponse<String> inB = Http.get(b.httpClient(), "http://www.foobar.com/api/posts/3");
      assertThat(inB.statusCode()).isEqualTo(404);
      assertThat(Http.get(a.httpClient(), "http://www.foobar.com/api/posts/3").body()).contains("only in a");

      assertThat(Threads.named("webstack-" + a.name() + " ")).isNotEmpty();
      assertThat(Threads.named("webstack-" + b.name() + " ")).isNotEmpty();
    }
  }

  @Test
  void killingANodeInOneStack_leavesTheOtherStackAlone() {
    try (EmulatedStack a = StackSpec.simpleWebStack().start();
        EmulatedStack b = StackSpec.simpleWebStack().start()) {
      a.host("server-1").kill();

      assertThat(Http.get(a.httpClient(), "http://www.foobar.com/").statusCode()).isEqualTo(502);
      assertThat(Http.get(b.httpClient(), "http://www.foobar.com/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void closingOneStack_leavesTheOtherRunning() {
    EmulatedStack a = StackSpec.distributed().start();
    try (EmulatedStack b = StackSpec.distributed().start()) {
      a.close();

      assertThat(Http.get(b.httpClient(), "http://www.foobar.com/api/posts").statusCode()).isEqualTo(200);
      assertThat(Threads.named("webstack-" + a.name() + " ")).isEmpty();
    } finally {
      a.close();
    }
  }
}

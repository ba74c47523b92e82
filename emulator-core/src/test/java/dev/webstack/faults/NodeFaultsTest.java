package dev.webstack.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.StackSpec;
import dev.webstack.inspection.NodeJournal;
import dev.webstack.inspection.StackEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each node fault's effect on real requests sent straight to the node, and its undo. */
class NodeFaultsTest {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private EmulatedStack stack;

  @AfterEach
  void close() {
    if (stack != null) {
      stack.close();
    }
  }

  private static HttpRequest get(Node node, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.address().getPort() + path))
        .timeout(Duration.ofSeconds(20)).build();
  }

  private HttpResponse<String> send(Node node, String path) throws IOException, InterruptedException {
    return client.send(get(node, path), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void failWith_answersTheStatusUntilUndone() throws Exception {
    stack = StackSpec.distributed().start();
    Node web = stack.node("web-1");
    Fault fault = web.faults().failWith(503);

    HttpResponse<String> failed = send(web, "/");
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.body()).startsWith("503 Service Unavailable");
    assertThat(failed.headers().firstValue("x-served-by")).contains("web-1");
    assertThat(web.faults().active()).containsExactly(fault);

    fault.undo();
    assertThat(fault.isActive()).isFalse();
    assertThat(send(web, "/").statusCode()).isEqualTo(200);
    assertThat(web.faults().active()).isEmpty();
    NodeJournal journal = web.journal();
    assertThat(journal.total()).isEqualTo(2);
    assertThat(journal.count(503)).isEqualTo(1);
    assertThat(journal.faulted()).isEqualTo(1);
    assertThat(journal.latest().get(0).fault()).contains("failWith 503");
    assertThat(journal.latest().get(1).fault()).isEmpty();
  }

  @Test
  void failWith_aShare_failsAboutThatShare() throws Exception {
    stack = StackSpec.distributed().toBuilder().seed(42).build().start();
    Node web = stack.node("web-2");
    web.faults().failWith(500, 0.3);
    int failed = 0;
    for (int i = 0; i < 200; i++) {
      if (send(web, "/").statusCode() == 500) {
        failed++;
      }
    }
    assertThat(failed).isBetween(35, 85); // binomial(200, 0.3): mean 60, sd 6.5
    assertThat(web.journal().count(500)).isEqualTo(failed);
  }

  @Test
  void hang_holdsRequestsAndServesThemWhenUndone() throws Exception {
    stack = StackSpec.distributed().start();
    Node web = stack.node("web-1");
    Fault hang = web.faults().hang();
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(get(web, "/"), HttpResponse.BodyHandlers.ofString());
    stack.await("web-1 to receive the request", Duration.ofSeconds(10),
        () -> stack.events().stream().anyMatch(e -> e.type().equals("decision") && e.detail().contains("hang")));
    assertThat(pending).isNotDone();

    hang.undo();
    assertThat(pending.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(web.journal().latest()).singleElement()
        .satisfies(r -> assertThat(r.fault()).contains("hang"));
  }

  @Test
  void hang_heldRequestsAreCutWhenTheNodeIsKilled() throws Exception {
    stack = StackSpec.distributed().start();
    Node web = stack.node("web-1");
    web.faults().hang();
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(get(web, "/"), HttpResponse.BodyHandlers.ofString());
    stack.await("web-1 to receive the request", Duration.ofSeconds(10),
        () -> stack.events().stream().anyMatch(e -> e.type().equals("decision")));
    web.kill();
    assertThat(pending).failsWithin(Duration.ofSeconds(10)).withThrowableThat().withCauseInstanceOf(IOException.class);
  }

  @Test
  void slow_delaysEveryRequestByAtLeastTheDelay() throws Exception {
    stack = StackSpec.distributed().start();
    Node web = stack.node("web-1");
    try (Fault slow = web.faults().slow(Duration.ofMillis(150))) {
      long start = System.nanoTime();
      assertThat(send(web, "/").statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
      assertThat(slow.isActive()).isTrue();
    }
    assertThat(web.faults().active()).isEmpty();
    assertThat(web.journal().latest().get(0).latency()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void undoAfter_runsOnTheManualClock() throws Exception {
    stack = StackSpec.distributed().toBuilder().manualClock().build().start();
    Node web = stack.node("web-1");
    web.faults().failWith(502).undoAfter(Duration.ofSeconds(1));
    stack.clock().advance(Duration.ofMillis(999));
    assertThat(send(web, "/").statusCode()).isEqualTo(502);
    stack.clock().advance(Duration.ofMillis(1));
    assertThat(send(web, "/").statusCode()).isEqualTo(200);
  }

  @Test
  void sameSeed_makesTheSameFaultDecisions() throws Exception {
    assertThat(decisions(7)).isEqualTo(decisions(7)).isNotEqualTo(decisions(8));
  }

  private List<String> decisions(long seed) throws Exception {
    try (EmulatedStack s = StackSpec.distributed().toBuilder().seed(seed).manualClock().build().start()) {
      Node web = s.node("web-1");
      web.faults().failWith(503, 0.5);
      web.faults().slow(Duration.ZERO, Duration.ofMillis(3));
      for (int i = 0; i < 30; i++) {
        send(web, "/?i=" + i);
      }
      assertThat(s.describe()).contains("seed " + seed);
      return s.events().stream().filter(e -> !e.type().equals("start")).map(StackEvent::toString).toList();
    }
  }

  @Test
  void badArguments_areRejectedNamingTheValue() {
    stack = StackSpec.distributed().start();
    NodeFaults faults = stack.node("web-1").faults();
    assertThatThrownBy(() -> faults.failWith(700)).hasMessageContaining("status (700)");
    assertThatThrownBy(() -> faults.failWith(500, 1.5)).hasMessageContaining("share (1.5)");
    assertThatThrownBy(() -> faults.slow(Duration.ofMillis(-1))).hasMessageContaining("delay (PT-0.001S)");
    assertThatThrownBy(() -> stack.database().faults()).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("kill()");
  }

  @Test
  void failWith_anInterimStatus_isRejected_sinceClientsWaitForAFinalAnswerForever() {
    stack = StackSpec.distributed().start();
    NodeFaults faults = stack.node("web-1").faults();
    assertThatThrownBy(() -> faults.failWith(100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status (100)").hasMessageContaining("200-599");
    assertThatThrownBy(() -> faults.failWith(199, 0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status (199)");
    assertThat(faults.active()).isEmpty();
  }

  @Test
  void aFaultOnAClosedStacksNode_isRefused_andLeavesNoTrace() {
    stack = StackSpec.distributed().start();
    Node web = stack.node("web-1");
    stack.close();
    int events = stack.events().size();
    assertThatThrownBy(() -> web.faults().hang()).isInstanceOf(IllegalStateException.class)
        .hasMessage("web-1 belongs to stack " + stack.name() + ", which is closed; start a new stack");
    assertThatThrownBy(() -> web.faults().failWith(503)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> web.faults().slow(Duration.ofMillis(5))).isInstanceOf(IllegalStateException.class);
    assertThat(web.faults().active()).isEmpty();
    assertThat(stack.events()).hasSize(events);
  }

  @Test
  void realClock_refusesToAdvance() {
    stack = StackSpec.distributed().start();
    assertThatThrownBy(() -> stack.clock().advance(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("manualClock()");
  }
}

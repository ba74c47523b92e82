package dev.webstack.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import dev.webstack.faults.Fault;
import dev.webstack.inspection.StackEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request that reached a server which then closed the connection without answering. HAProxy answers 502 ("The
 * server returned an invalid or incomplete response") and, with its default {@code retry-on conn-failure}, sends
 * no request that reached a server again, a GET included; 503 is for requests no server could be connected to.
 * nginx ({@code proxy_next_upstream error}) sends an idempotent request to the next server and answers 502
 * otherwise. The server is held by a hang fault until the test kills it, so the request is in its hands.
 */
class ServerFailureAnswerTest {

  private static final String POST = "POST /api/posts HTTP/1.1\r\n" + RawHttp.HOST
      + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
  private static final String GET = "GET /api/whoami HTTP/1.1\r\n" + RawHttp.HOST + "Connection: close\r\n\r\n";

  @Test
  void postCutAfterItReachedAWebServer_balancerAnswers502WithHaproxysPage() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      Fault hang1 = stack.node("web-1").faults().hang();
      Fault hang2 = stack.node("web-2").faults().hang();
      CompletableFuture<RawHttp.Answer> answer = send(stack, "lb-1", POST);
      stack.node(firstToReceive(stack, "web")).kill();

      RawHttp.Answer r = answer.get(20, TimeUnit.SECONDS);

      assertThat(r.status()).as(r.text()).isEqualTo(502);
      assertThat(r.body()).isEqualTo(BalancerNode.HAPROXY_502);
      hang1.undo();
      hang2.undo();
    }
  }

  @Test
  void getCutAfterItReachedAWebServer_balancerAnswers502AndDoesNotSendItToTheOther() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      Fault hang1 = stack.node("web-1").faults().hang();
      Fault hang2 = stack.node("web-2").faults().hang();
      CompletableFuture<RawHttp.Answer> answer = send(stack, "lb-1", GET);
      String web = firstToReceive(stack, "web");
      String other = web.equals("web-1") ? "web-2" : "web-1";
      (other.equals("web-1") ? hang1 : hang2).undo(); // the other would answer a re-sent request
      stack.node(web).kill();

      RawHttp.Answer r = answer.get(20, TimeUnit.SECONDS);

      assertThat(r.status()).as(r.text()).isEqualTo(502);
      assertThat(stack.node(other).journal().total()).as("requests sent to " + other).isZero();
      hang1.undo();
      hang2.undo();
    }
  }

  /** A refused connection sent nothing: any method goes to the next server, as HAProxy's redispatch does. */
  @Test
  void postToAKilledWebServer_isSentToTheOther() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      stack.node("web-1").kill();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(RawHttp.exchange(stack.node("lb-1").address(), POST).status());
      }
      assertThat(statuses).containsOnly(201);
    }
  }

  @Test
  void getCutAfterItReachedAnAppServer_webServerSendsItToTheNextAsNginxDoes() throws Exception {
    try (EmulatedStack stack = oneWebTwoApps().start()) {
      Fault hang1 = stack.node("app-1").faults().hang();
      Fault hang2 = stack.node("app-2").faults().hang();
      CompletableFuture<RawHttp.Answer> answer = send(stack, "lb-1", GET);
      String app = firstToReceive(stack, "app");
      String other = app.equals("app-1") ? "app-2" : "app-1";
      (other.equals("app-1") ? hang1 : hang2).undo();
      stack.node(app).kill();

      RawHttp.Answer r = answer.get(20, TimeUnit.SECONDS);

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.header("X-Served-By")).contains(other);
      hang1.undo();
      hang2.undo();
    }
  }

  @Test
  void postCutAfterItReachedAnAppServer_webServerAnswers502WithoutSendingItOn() throws Exception {
    try (EmulatedStack stack = oneWebTwoApps().start()) {
      Fault hang1 = stack.node("app-1").faults().hang();
      Fault hang2 = stack.node("app-2").faults().hang();
      CompletableFuture<RawHttp.Answer> answer = send(stack, "lb-1", POST);
      String app = firstToReceive(stack, "app");
      String other = app.equals("app-1") ? "app-2" : "app-1";
      (other.equals("app-1") ? hang1 : hang2).undo();
      stack.node(app).kill();

      RawHttp.Answer r = answer.get(20, TimeUnit.SECONDS);

      assertThat(r.status()).as(r.text()).isEqualTo(502);
      assertThat(r.body()).contains("502 Bad Gateway").contains("nginx role");
      assertThat(stack.node(other).journal().total()).as("requests sent to " + other).isZero();
      hang1.undo();
      hang2.undo();
    }
  }

  private static StackSpec oneWebTwoApps() {
    return StackSpec.distributed().toBuilder().manualClock().webServers(1).appServers(2).build();
  }

  private static CompletableFuture<RawHttp.Answer> send(EmulatedStack stack, String node, String request) {
    return CompletableFuture.supplyAsync(() -> RawHttp.exchange(stack.node(node).address(), request, 20_000));
  }

  /** The node (name starting with {@code prefix}) whose hang fault took the request first. */
  private static String firstToReceive(EmulatedStack stack, String prefix) {
    stack.await("a " + prefix + " server to receive the request", Duration.ofSeconds(10),
        () -> decisions(stack, prefix).findAny().isPresent());
    return decisions(stack, prefix).findFirst().map(StackEvent::component).orElseThrow();
  }

  private static java.util.stream.Stream<StackEvent> decisions(EmulatedStack stack, String prefix) {
    return stack.events().stream().filter(e -> e.type().equals("decision") && e.component().startsWith(prefix));
  }
}

package dev.webstack.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an application server does when the user's code fails or its client leaves: gunicorn answers 500 for any
 * exception of the application (in Python, an {@code AssertionError} or a {@code RecursionError} is one) and keeps
 * serving, and a client that left is its own business.
 */
class AppHandlerFailureTest {

  @Test
  void handlerThrowingAnError_gets500LikeAnException_fromTheAppServer() throws Exception {
    StackSpec spec = StackSpec.builder("foobar.com").webServers(1).appServers(1, app -> app.handler(req -> {
      if (req.path().equals("/api/assert")) {
        throw new AssertionError("a test's assertion inside the handler");
      }
      return AppResponse.text("ok");
    })).build();
    try (EmulatedStack stack = spec.start()) {
      HttpResponse<String> failed = send(stack, "http://www.foobar.com/api/assert");

      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.body()).isEqualTo("500 Internal Server Error");
      assertThat(failed.headers().firstValue("X-Served-By")).contains("app-1");
      assertThat(send(stack, "http://www.foobar.com/api/ok").statusCode()).isEqualTo(200);
      assertThat(stack.node("app-1").journal().count(500)).isEqualTo(1);
    }
  }

  /**
   * A killed node closes its connections; a request already inside the handler runs to its end (README), and the
   * journal records an exchange that ended without an answer with status 0. The handler's answer, written to the
   * closed exchange, used to throw "UT000002: The response has already been started" out of the node (logged by
   * Undertow at ERROR with its stack trace), and the request was missing from the journal.
   */
  @Test
  void requestInsideTheHandlerWhenTheNodeIsKilled_isJournaledWithStatus0() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch killed = new CountDownLatch(1);
    StackSpec spec = StackSpec.builder("foobar.com").webServers(1)
        .appServers(1, app -> app.handler(req -> {
          if (req.path().equals("/api/slow")) {
            entered.countDown();
            assertThat(killed.await(10, TimeUnit.SECONDS)).isTrue();
          }
          return AppResponse.text("late");
        })).build();
    try (EmulatedStack stack = spec.start()) {
      var response = stack.httpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://www.foobar.com/api/slow"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      stack.node("app-1").kill();
      killed.countDown();

      assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(502);
      stack.await("app-1 journals the request", Duration.ofSeconds(5),
          () -> stack.node("app-1").journal().total() == 1);
      assertThat(stack.node("app-1").journal().count(0)).as(stack.node("app-1").journal().latest().toString())
          .isEqualTo(1);
    }
  }

  private static HttpResponse<String> send(EmulatedStack stack, String url) throws Exception {
    return stack.httpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

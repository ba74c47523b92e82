package dev.webstack.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import dev.webstack.app.AppResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1) are acted on by each proxy (balancer, web server) and not forwarded, in
 * either direction; a {@code close} among the client's {@code Connection} options closes the client connection.
 */
class HopByHopHeadersTest {

  private static final List<String> SEEN = List.of("connection", "x-secret", "keep-alive", "proxy-connection", "te",
      "upgrade", "host");

  /** An application that answers the request fields of {@link #SEEN} as {@code name=value} lines. */
  private static StackSpec echoStack() {
    return StackSpec.distributed().toBuilder().manualClock()
        .appServers(1, app -> app.handler(r -> {
          StringBuilder seen = new StringBuilder();
          for (String name : SEEN) {
            seen.append(name).append('=').append(r.header(name).orElse("-")).append('\n');
          }
          return AppResponse.text(seen.toString());
        }))
        .build();
  }

  @Test
  void requestHopByHopFields_doNotReachTheApplication() {
    try (EmulatedStack stack = echoStack().start()) {
      RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), "GET /api/hop HTTP/1.1\r\n" + RawHttp.HOST
          + "Connection: close, X-Secret\r\nX-Secret: s\r\nKeep-Alive: timeout=9\r\nProxy-Connection: keep-alive\r\n"
          + "TE: gzip, trailers\r\nUpgrade: foo/1\r\n\r\n");

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.body()).contains("x-secret=-\n", "keep-alive=-\n", "proxy-connection=-\n", "upgrade=-\n",
          "te=trailers\n", "host=www.foobar.com\n");
      assertThat(r.body().lines().filter(l -> l.startsWith("connection=")).findFirst().orElseThrow())
          .doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("close");
    }
  }

  @Test
  void teTrailers_goesOn_alsoWhenTheClientNamesTeInConnectionAsRequired() {
    try (EmulatedStack stack = echoStack().start()) {
      RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), "GET /api/hop HTTP/1.1\r\n" + RawHttp.HOST
          + "TE: trailers\r\nConnection: TE, close\r\n\r\n");

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.body()).contains("te=trailers\n");
    }
  }

  @Test
  void closeInAConnectionList_closesTheClientConnectionAfterTheAnswer() {
    try (EmulatedStack stack = echoStack().start()) {
      RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), "GET /api/x HTTP/1.1\r\n" + RawHttp.HOST
          + "Connection: X-Secret, close\r\nX-Secret: s\r\n\r\n", 5000);

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.header("Connection")).contains("close");
      assertThat(r.text()).as("the balancer closed the connection").doesNotContain("<<read timed out>>");
    }
  }

  @Test
  void responseHopByHopFields_doNotReachTheClient() {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .appServers(1, app -> app.handler(r -> AppResponse.text("x").header("Keep-Alive", "timeout=5")
            .header("Connection", "X-Internal").header("X-Internal", "v").header("Proxy-Connection", "keep-alive")
            .header("Upgrade", "foo/1")))
        .build();
    try (EmulatedStack stack = spec.start()) {
      RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), "GET /api/x HTTP/1.1\r\n" + RawHttp.HOST
          + "Connection: close\r\n\r\n");

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.header("Keep-Alive")).isEmpty();
      assertThat(r.header("X-Internal")).isEmpty();
      assertThat(r.header("Proxy-Connection")).isEmpty();
      assertThat(r.header("Upgrade")).isEmpty();
      assertThat(r.header("Connection")).contains("close");
      assertThat(r.header("X-Served-By")).contains("app-1");
      assertThat(r.body()).isEqualTo("x");
    }
  }

  /** An upstream {@code Connection: close} concerns the upstream connection; the client's stays open. */
  @Test
  void upstreamConnectionClose_doesNotCloseTheClientConnection() {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .appServers(1, app -> app.handler(r -> AppResponse.text("x").header("Connection", "close")))
        .build();
    try (EmulatedStack stack = spec.start()) {
      String get = "GET /api/x HTTP/1.1\r\n" + RawHttp.HOST;
      // Two requests on one connection: the second is answered only if the first answer left it open.
      RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), get + "\r\n" + get
          + "Connection: close\r\n\r\n");

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.header("Connection")).contains("keep-alive");
      assertThat(r.text().split("HTTP/1.1 200 ", -1)).as("answers on the connection: %s", r.text()).hasSize(3);
    }
  }
}

package dev.webstack.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import org.junit.jupiter.api.Test;

/**
 * A request whose line and headers exceed HAProxy's buffer (16 KiB) is refused with 400 and never forwarded, as
 * HAProxy refuses it; Undertow's own limit was 1 MiB, so a 70 KB URI used to reach the application.
 */
class RequestSizeLimitTest {

  @Test
  void aRequestLineOrHeaderBeyondTheBuffer_isA400_andIsNotForwarded() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      RawHttp.Answer longUri = RawHttp.exchange(stack.node("lb-1").address(), "GET /api/" + "a".repeat(70_000)
          + " HTTP/1.1\r\n" + RawHttp.HOST + "Connection: close\r\n\r\n", 5000);
      RawHttp.Answer bigHeader = RawHttp.exchange(stack.node("lb-1").address(), "GET /api/posts HTTP/1.1\r\n"
          + RawHttp.HOST + "X-Big: " + "b".repeat(70_000) + "\r\nConnection: close\r\n\r\n", 5000);

      assertThat(longUri.status()).as(longUri.text()).isEqualTo(400);
      assertThat(bigHeader.status()).as(bigHeader.text()).isEqualTo(400);
      assertThat(stack.node("web-1").journal().total() + stack.node("web-2").journal().total())
          .as("requests forwarded").isZero();
    }
  }

  @Test
  void headersWithinTheBuffer_areForwarded() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), "GET /api/posts HTTP/1.1\r\n"
          + RawHttp.HOST + "Cookie: " + "c".repeat(8_000) + "\r\nConnection: close\r\n\r\n", 5000);

      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
  }
}

package dev.webstack.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9112 §6.3: a request whose {@code Transfer-Encoding} does not end in {@code chunked} has no reliable length;
 * the server answers 400 and closes the connection (HAProxy answers 400). Before, the balancer read such a body as
 * chunked, failed, and answered 503 "no server is available".
 */
class TransferEncodingTest {

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "chunked, gzip", "identity"})
  void codingNotEndingInChunked_isA400AndTheConnectionCloses(String codings) {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), "POST /api/posts HTTP/1.1\r\n"
          + RawHttp.HOST + "Content-Type: application/json\r\nTransfer-Encoding: " + codings + "\r\n\r\n"
          + "2\r\n{}\r\n0\r\n\r\n", 5000);

      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.header("Connection")).contains("close");
      assertThat(r.text()).as("the balancer closed the connection").doesNotContain("<<read timed out>>");
      assertThat(stack.node("lb-1").journal().count(400)).isEqualTo(1);
      assertThat(stack.node("web-1").journal().total() + stack.node("web-2").journal().total())
          .as("requests forwarded").isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "Chunked"})
  void chunkedLast_isForwarded(String codings) {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), "POST /api/posts HTTP/1.1\r\n"
          + RawHttp.HOST + "Content-Type: application/json\r\nTransfer-Encoding: " + codings + "\r\n"
          + "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");

      assertThat(r.status()).as(r.text()).isEqualTo(201);
    }
  }
}

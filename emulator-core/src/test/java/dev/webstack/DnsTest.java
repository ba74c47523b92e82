package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.dns.DnsAnswer;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DnsTest {

  private static final StackSpec ZONED = StackSpec.distributed().toBuilder()
      .dns(d -> d.a("@", "8.8.8.8")
          .a("www", "8.8.8.8", Duration.ofSeconds(60))
          .cname("blog", "www")
          .cname("shop", "blog", Duration.ofSeconds(30))
          .a("web1.internal", "10.0.0.11")
          .a("elsewhere", "1.2.3.4"))
      .build();

  @Test
  void resolver_answersARecordsWithTheirTtl() throws Exception {
    try (EmulatedStack stack = ZONED.start()) {
      DnsAnswer answer = stack.dns().resolve("WWW.foobar.com.");

      assertThat(answer.question()).isEqualTo("www.foobar.com");
      assertThat(answer.addresses()).containsExactly("8.8.8.8");
      assertThat(answer.cnameChain()).isEmpty();
      assertThat(answer.ttl()).isEqualTo(Duration.ofSeconds(60));
    }
  }

  @Test
  void theSameAddressTwice_isOneRecord_inTheSpecAndAtRunTime() throws Exception {
    StackSpec spec = StackSpec.distributed().toBuilder()
        .dns(d -> d.a("@", "8.8.8.8").a("www", "8.8.8.8").a("www", "8.8.4.4").a("www", "8.8.8.8"))
        .build();
    try (EmulatedStack stack = spec.start()) {
      assertThat(stack.dns().resolve("www.foobar.com").addresses()).containsExactly("8.8.8.8", "8.8.4.4");

      stack.dns().setA("www", Duration.ofSeconds(5), "10.0.0.11", "10.0.0.12", "10.0.0.11");

      assertThat(stack.dns().resolve("www.foobar.com").addresses()).containsExactly("10.0.0.11", "10.0.0.12");
    }
  }

  @Test
  void resolver_followsCnameChainsAndKeepsTheSmallestTtl() throws Exception {
    try (EmulatedStack stack = ZONED.start()) {
      DnsAnswer answer = stack.dns().resolve("shop.foobar.com");

      assertThat(answer.cnameChain()).containsExactly("blog.foobar.com", "www.foobar.com");
      assertThat(answer.address()).isEqualTo("8.8.8.8");
      assertThat(answer.ttl()).isEqualTo(Duration.ofSeconds(30));
    }
  }

  @Test
  void resolver_failsForUnknownNamesNamingTheZone() {
    try (EmulatedStack stack = ZONED.start()) {
      assertThatThrownBy(() -> stack.dns().resolve("nope.foobar.com"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessageStartingWith("nope.foobar.com: NXDOMAIN, no record for nope.foobar.com in zone foobar.com");
      assertThatThrownBy(() -> stack.dns().resolve("www.example.org"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessage("www.example.org: NXDOMAIN, www.example.org is outside zone foobar.com, "
              + "the only zone this stack serves");
    }
  }

  @Test
  void httpClient_reachesNamesThroughTheStacksDns() {
    try (EmulatedStack stack = ZONED.start()) {
      HttpResponse<String> viaCname = Http.get(stack.httpClient(), "http://shop.foobar.com/api/whoami");

      assertThat(viaCname.statusCode()).isEqualTo(200);
      assertThat(RequestPath.of(viaCname).first("lb")).contains("lb-1");
    }
  }

  @Test
  void httpClient_keepsTheHostHeaderTheClientSent() {
    StackSpec spec = StackSpec.distributed().toBuilder()
        .appServers(1, app -> app.handler(req -> dev.webstack.app.AppResponse.text(req.header("Host").orElse(""))))
        .build();
    try (EmulatedStack stack = spec.start()) {
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/host").body()).isEqualTo("www.foobar.com");
    }
  }

  @Test
  void httpClient_getsA503NamingTheZoneForUnknownNames_asSquidsErrDnsFail() {
    try (EmulatedStack stack = ZONED.start()) {
      HttpResponse<String> r = Http.get(stack.httpClient(), "http://nope.foobar.com/");

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("x-webstack-error")).hasValueSatisfying(
          e -> assertThat(e).contains("NXDOMAIN", "zone foobar.com"));
    }
  }

  @Test
  void httpClient_reachesAnyHostByNameWhenItListens_asWithoutAFirewall() {
    try (EmulatedStack stack = ZONED.start()) {
      HttpResponse<String> direct = Http.get(stack.httpClient(), "http://web1.internal.foobar.com/");

      assertThat(direct.statusCode()).isEqualTo(200);
      assertThat(RequestPath.of(direct).hops()).containsExactly("web-1");
    }
  }

  @Test
  void httpClient_getsConnectionRefusedForPortsNothingListensOn() {
    try (EmulatedStack stack = ZONED.start()) {
      HttpResponse<String> r = Http.get(stack.httpClient(), "http://www.foobar.com:8080/");

      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.headers().firstValue("x-webstack-error").orElseThrow())
          .isEqualTo("www.foobar.com (8.8.8.8:8080): connection refused, nothing on host lb-1 listens on port 8080");
    }
  }

  @Test
  void httpClient_cannotReachAddressesNoHostHas() {
    try (EmulatedStack stack = ZONED.start()) {
      HttpResponse<String> r = Http.get(stack.httpClient(), "http://elsewhere.foobar.com/");

      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.headers().firstValue("x-webstack-error").orElseThrow()).contains("no host of this stack");
    }
  }

  @Test
  void uri_rewritesStackUrlsToLoopback() {
    try (EmulatedStack stack = ZONED.start()) {
      URI uri = stack.uri("http://www.foobar.com/api/posts?limit=2");

      assertThat(uri.getHost()).isEqualTo("127.0.0.1");
      assertThat(uri.getPort()).isEqualTo(stack.node("lb-1").address().getPort());
      assertThat(uri.getRawPath()).isEqualTo("/api/posts");
      assertThat(uri.getRawQuery()).isEqualTo("limit=2");
      HttpResponse<String> r = Http.get(HttpClient.newHttpClient(), uri.toString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void uri_failsForUnknownNamesWithAnUnknownHostException() {
    try (EmulatedStack stack = ZONED.start()) {
      assertThatThrownBy(() -> stack.uri("http://nope.foobar.com/"))
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(UnknownHostException.class)
          .hasMessageContaining("zone foobar.com");
      assertThatThrownBy(() -> stack.uri("ftp://www.foobar.com/"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be an absolute http URL");
    }
  }
}

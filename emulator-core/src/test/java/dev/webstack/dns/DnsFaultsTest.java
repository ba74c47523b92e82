package dev.webstack.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.RequestPath;
import dev.webstack.StackSpec;
import dev.webstack.dns.DnsLookupException.Rcode;
import dev.webstack.inspection.StackEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DNS faults as the stack's clients meet them: real requests through {@code stack.httpClient()} (the gateway) and
 * {@code stack.uri(..)}, with the clients' cache on a manual clock so TTLs are stepped exactly.
 */
class DnsFaultsTest {

  private static final Duration TTL = Duration.ofSeconds(60);

  /** The distributed preset on a manual clock; www has a 60 s TTL, shop is a CNAME to www. */
  private static final StackSpec SPEC = StackSpec.distributed().toBuilder()
      .manualClock()
      .dns(d -> d.a("@", "8.8.8.8")
          .a("www", "8.8.8.8", TTL)
          .cname("shop", "www", TTL)
          .a("web1", "10.0.0.11", Duration.ZERO))
      .build();

  @Test
  void aFaultOnAZoneNameWithoutTrailingDot_isRefusedSayingHowToWriteIt() {
    try (EmulatedStack stack = SPEC.start()) {
      // In a zone file "www.foobar.com" is relative: www.foobar.com.foobar.com, which a fault would act on silently.
      assertThatThrownBy(() -> stack.dns().nxdomain("www.foobar.com"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("www.foobar.com")
          .hasMessageContaining("\"www.foobar.com.\"")
          .hasMessageContaining("\"www\"");
      assertThatThrownBy(() -> stack.dns().setCname("shop", "www.foobar.com", TTL))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"www\"");
      assertThatThrownBy(() -> stack.dns().servfail("foobar.com")).hasMessageContaining("\"@\"");
      assertThat(stack.events()).noneMatch(e -> e.component().equals("dns"));

      stack.dns().nxdomain("www.foobar.com.");
      assertThatThrownBy(() -> stack.dns().resolve("www.foobar.com")).isInstanceOf(UnknownHostException.class);
    }
  }

  @Test
  void recordChange_isSeenByClientsOnlyAfterTheOldAnswersTtl() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      HttpClient http = stack.httpClient();
      int lbPort = stack.node("lb-1").address().getPort();
      assertThat(path(get(http, "http://www.foobar.com/"))).startsWith("lb-1");  // cached now, until t = 60 s

      // DNS failover: www now points straight at web-1's host.
      stack.dns().setA("www", Duration.ofSeconds(30), "10.0.0.11");

      assertThat(stack.dns().resolve("www.foobar.com").addresses()).containsExactly("10.0.0.11"); // authoritative
      assertThat(path(get(http, "http://www.foobar.com/"))).startsWith("lb-1");
      assertThat(stack.uri("http://www.foobar.com/").getPort()).isEqualTo(lbPort);
      stack.clock().advance(TTL.minusNanos(1));
      assertThat(path(get(http, "http://www.foobar.com/"))).startsWith("lb-1");
      stack.clock().advance(Duration.ofNanos(1));
      assertThat(path(get(http, "http://www.foobar.com/"))).isEqualTo("web-1");
      assertThat(stack.uri("http://www.foobar.com/").getPort()).isEqualTo(stack.node("web-1").address().getPort());

      // Undo: the spec's record is back, seen once the new answer's 30 s TTL runs out.
      stack.dns().heal("www");
      assertThat(path(get(http, "http://www.foobar.com/"))).isEqualTo("web-1");
      stack.clock().advance(Duration.ofSeconds(30));
      assertThat(path(get(http, "http://www.foobar.com/"))).startsWith("lb-1");
    }
  }

  @Test
  void recordChange_isSeenAtOnceByClientsThatHadNotCachedTheName() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      stack.dns().setA("www", TTL, "10.0.0.12");

      assertThat(path(get(stack.httpClient(), "http://www.foobar.com/"))).isEqualTo("web-2");
    }
  }

  @Test
  void nxdomain_reachesGatewayClientsAs503WithTheResolverError_andUriCallersAsUnknownHostException() {
    try (EmulatedStack stack = SPEC.start()) {
      stack.dns().nxdomain("www");

      HttpResponse<String> r = get(stack.httpClient(), "http://www.foobar.com/api/posts");

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("X-Webstack-Error")).hasValue(
          "www.foobar.com: Name or service not known (www.foobar.com: NXDOMAIN, www.foobar.com was made to answer"
              + " NXDOMAIN (stack.dns().nxdomain(..); undo with heal))");
      assertThat(r.body()).startsWith("503 Service Unavailable (ERR_DNS_FAIL): unable to determine the IP address"
          + " of www.foobar.com: www.foobar.com: Name or service not known");
      assertThatThrownBy(() -> stack.uri("http://www.foobar.com/"))
          .isInstanceOf(UncheckedIOException.class)
          .cause()
          .isInstanceOf(UnknownHostException.class)
          .hasMessageStartingWith("www.foobar.com: Name or service not known (")
          .cause()
          .isInstanceOfSatisfying(DnsLookupException.class, e -> assertThat(e.rcode()).isEqualTo(Rcode.NXDOMAIN));
    }
  }

  @Test
  void nxdomain_isCachedForTheNegativeTtl_soHealIsSeenWhenItRunsOut() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      HttpClient http = stack.httpClient();
      stack.dns().nxdomain("www");
      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(503);

      stack.dns().heal("www");

      assertThat(stack.dns().resolve("www.foobar.com").address()).isEqualTo("8.8.8.8");
      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(503);
      stack.clock().advance(DnsSpec().negativeTtl().minusNanos(1));
      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(503);
      stack.clock().advance(Duration.ofNanos(1));
      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void negativeTtl_comesFromTheZone() throws Exception {
    StackSpec shortNegative = SPEC.toBuilder()
        .dns(d -> d.negativeTtl(Duration.ofSeconds(5)).a("www", "8.8.8.8")).build();
    try (EmulatedStack stack = shortNegative.start()) {
      assertThat(get(stack.httpClient(), "http://nope.foobar.com/").statusCode()).isEqualTo(503);
      stack.dns().setA("nope", TTL, "8.8.8.8");
      stack.clock().advance(Duration.ofSeconds(4));
      assertThat(get(stack.httpClient(), "http://nope.foobar.com/").statusCode()).isEqualTo(503);
      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(get(stack.httpClient(), "http://nope.foobar.com/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void servfail_reachesClientsAsTemporaryFailure_isNotCached_andHealIsSeenAtOnce() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      HttpClient http = stack.httpClient();
      stack.dns().servfail("www");

      HttpResponse<String> r = get(http, "http://www.foobar.com/");

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("X-Webstack-Error").orElseThrow())
          .startsWith("www.foobar.com: Temporary failure in name resolution (www.foobar.com: SERVFAIL");
      assertThatThrownBy(() -> stack.uri("http://www.foobar.com/"))
          .isInstanceOf(UncheckedIOException.class)
          .cause()
          .hasMessageStartingWith("www.foobar.com: Temporary failure in name resolution (");
      assertThatThrownBy(() -> stack.dns().resolve("www.foobar.com"))
          .isInstanceOfSatisfying(DnsLookupException.class, e -> assertThat(e.rcode()).isEqualTo(Rcode.SERVFAIL));

      stack.dns().heal("www");

      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void servfailAfterACachedAnswer_isNotSeenUntilTheAnswerExpires() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      HttpClient http = stack.httpClient();
      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(200);

      stack.dns().servfail("www");

      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(200);
      stack.clock().advance(TTL);
      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void faultOnACanonicalName_failsEveryNameWhoseCnameChainPassesThroughIt() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      stack.dns().nxdomain("www.foobar.com.");

      HttpResponse<String> r = get(stack.httpClient(), "http://shop.foobar.com/");

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("X-Webstack-Error").orElseThrow())
          .startsWith("shop.foobar.com: Name or service not known (shop.foobar.com: NXDOMAIN, www.foobar.com was"
              + " made to answer NXDOMAIN");
    }
  }

  @Test
  void removedRecords_answerNxdomain_untilHealed() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      stack.dns().removeRecords("www");

      assertThatThrownBy(() -> stack.dns().resolve("www.foobar.com"))
          .isInstanceOf(DnsLookupException.class)
          .hasMessageStartingWith("www.foobar.com: NXDOMAIN, no record for www.foobar.com in zone foobar.com");
      assertThat(stack.dns().names()).doesNotContain("www.foobar.com");

      stack.dns().heal("www");

      assertThat(stack.dns().resolve("www.foobar.com").address()).isEqualTo("8.8.8.8");
    }
  }

  @Test
  void slowName_delaysTheRequestByTheDelay_andHealRemovesTheDelay() throws Exception {
    StackSpec noCache = SPEC.toBuilder().dns(d -> d.a("www", "8.8.8.8", Duration.ZERO)).build();
    try (EmulatedStack stack = noCache.start()) {
      HttpClient http = stack.httpClient();
      Duration delay = Duration.ofMillis(400);
      stack.dns().slow("www", delay);

      long t0 = System.nanoTime();
      assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(delay);
      long t1 = System.nanoTime();
      stack.uri("http://www.foobar.com/");
      assertThat(Duration.ofNanos(System.nanoTime() - t1)).isGreaterThanOrEqualTo(delay);

      stack.dns().heal("www");

      assertThat(stack.dns().faults()).isEmpty();
      long t2 = System.nanoTime();
      stack.uri("http://www.foobar.com/");
      assertThat(Duration.ofNanos(System.nanoTime() - t2)).isLessThan(delay);
    }
  }

  @Test
  void slowName_doesNotHoldUpTheGatewaysOtherRequests() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      HttpClient http = stack.httpClient();
      stack.dns().slow("shop", Duration.ofSeconds(5));
      CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
          HttpRequest.newBuilder(URI.create("http://shop.foobar.com/")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());

      // The gateway has two I/O threads; a blocking wait would hold one of them for 5 s per slow request.
      for (int i = 0; i < 4; i++) {
        assertThat(get(http, "http://www.foobar.com/").statusCode()).isEqualTo(200);
      }

      assertThat(slow).isNotDone();
      assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void severalAddresses_clientsTryTheNextWhenOneRefuses() throws Exception {
    StackSpec twoAddresses = SPEC.toBuilder()
        .dns(d -> d.a("www", "8.8.8.8").a("www", "10.0.0.11")).build();
    try (EmulatedStack stack = twoAddresses.start()) {
      HttpClient http = stack.httpClient();
      assertThat(path(get(http, "http://www.foobar.com/"))).startsWith("lb-1");

      stack.node("lb-1").kill();

      assertThat(path(get(http, "http://www.foobar.com/"))).isEqualTo("web-1");
      stack.node("web-1").kill();
      HttpResponse<String> none = get(http, "http://www.foobar.com/");
      assertThat(none.statusCode()).isEqualTo(502);
      assertThat(none.headers().firstValue("X-Webstack-Error")).hasValue(
          "www.foobar.com: none of its 2 addresses answered: www.foobar.com (8.8.8.8:80): connection refused,"
              + " lb-1 is down; www.foobar.com (10.0.0.11:80): connection refused, web-1 is down");
    }
  }

  @Test
  void everyFaultChangeAndHeal_isRecordedAsADnsEvent() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      stack.dns().nxdomain("www").servfail("shop").slow("@", Duration.ofMillis(5))
          .setCname("blog", "www", TTL);
      stack.dns().heal("www");
      stack.dns().healAll();

      List<StackEvent> dns = stack.events().stream().filter(e -> e.component().equals("dns")).toList();

      assertThat(dns).extracting(StackEvent::type)
          .containsExactly("fault", "fault", "fault", "fault", "heal", "heal");
      assertThat(dns).extracting(StackEvent::detail).containsExactly(
          "www.foobar.com answers NXDOMAIN (cached by clients for 60 s)",
          "shop.foobar.com answers SERVFAIL",
          "foobar.com answers after 5 ms",
          "blog.foobar.com records changed to [blog.foobar.com. 60 IN CNAME www.foobar.com.] (were nothing"
              + " (NXDOMAIN))",
          "www.foobar.com answers from the spec's zone again",
          "every name of zone foobar.com answers from the spec's zone again");
      assertThat(dns).allSatisfy(e -> assertThat(e.time()).isEqualTo(stack.clock().instant()));
    }
  }

  @Test
  void faults_listWhatIsInForce_andHealAllUndoesEverything() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      stack.dns().servfail("www").slow("www", Duration.ofMillis(1)).setA("@", TTL, "10.0.0.12");

      assertThat(stack.dns().faults()).containsExactly(
          "foobar.com records changed to [foobar.com. 60 IN A 10.0.0.12]",
          "www.foobar.com answers SERVFAIL",
          "www.foobar.com answers after 1 ms");
      assertThat(stack.describe()).contains("dns fault: www.foobar.com answers SERVFAIL",
          "dns foobar.com. 60 IN A 10.0.0.12");

      stack.dns().healAll();

      assertThat(stack.dns().faults()).isEmpty();
      assertThat(stack.dns().resolve("foobar.com").address()).isEqualTo("8.8.8.8");
      assertThat(stack.dns().records()).containsExactlyInAnyOrderElementsOf(SPEC.dns().records());
    }
  }

  @Test
  void faultsAndChanges_rejectNamesOutsideTheZoneAndBrokenRecords() throws Exception {
    try (EmulatedStack stack = SPEC.start()) {
      StackResolver dns = stack.dns();
      assertThatThrownBy(() -> dns.nxdomain("www.example.org."))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name (www.example.org) is outside zone foobar.com, the only zone this stack serves");
      assertThatThrownBy(() -> dns.setA("www", TTL, "8.8.8"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("A record www.foobar.com: address (8.8.8) must be a dotted-quad IPv4 address");
      assertThatThrownBy(() -> dns.setCname("www", "shop", TTL))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("CNAME loop in zone foobar.com: ");
      assertThatThrownBy(() -> dns.slow("www", Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be positive");
      assertThatThrownBy(() -> dns.setA("www", Duration.ofSeconds(-1), "8.8.8.8"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ttl (PT-1S) of www.foobar.com");
      // A rejected change leaves the zone as it was.
      assertThat(dns.faults()).isEmpty();
      assertThat(stack.events()).noneMatch(e -> e.component().equals("dns"));
    }
  }

  private static dev.webstack.DnsSpec DnsSpec() {
    return SPEC.dns();
  }

  private static String path(HttpResponse<String> r) {
    assertThat(r.statusCode()).as("status of %s: %s", r.uri(), r.body()).isEqualTo(200);
    return RequestPath.of(r).toString();
  }

  private static HttpResponse<String> get(HttpClient client, String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

package dev.webstack.dns.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import dev.webstack.app.AppResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.spi.InetAddressResolverProvider;
import java.security.Security;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider as installed in this very JVM: {@code InetAddress} and a plain {@code HttpClient} reach running
 * stacks by name, on the JDK the build runs on.
 *
 * <p>The JDK's lookup caches are off in this JVM ({@code networkaddress.cache.ttl=0}, {@code
 * networkaddress.cache.negative.ttl=0}, from {@code src/test/jvm/no-dns-cache.security} on surefire's argLine),
 * otherwise a closed stack's names would keep resolving from the cache. Stacks run one at a time except where a
 * test starts two on purpose; every stack is closed by try-with-resources, so its zone leaves the JVM-wide registry.
 */
class JvmWideResolutionTest {

  private static final String LOOPBACK = "127.0.0.1";

  @BeforeAll
  static void lookupCachesAreOff() {
    assertThat(Security.getProperty("networkaddress.cache.ttl"))
        .as("networkaddress.cache.ttl: run with -Djava.security.properties=src/test/jvm/no-dns-cache.security"
            + " (surefire's argLine does), or cached answers outlive the stacks")
        .isEqualTo("0");
    assertThat(Security.getProperty("networkaddress.cache.negative.ttl"))
        .as("networkaddress.cache.negative.ttl: see src/test/jvm/no-dns-cache.security")
        .isEqualTo("0");
  }

  @Test
  void isTheProviderTheJdkInstalls_whenFirstOnTheClasspath() {
    // The JDK installs exactly ServiceLoader.load(InetAddressResolverProvider.class).findFirst().
    assertThat(ServiceLoader.load(InetAddressResolverProvider.class).findFirst())
        .get()
        .isInstanceOf(StackInetAddressResolverProvider.class)
        .extracting(InetAddressResolverProvider::name)
        .isEqualTo("webstack-emulator");
  }

  @Test
  void resolvesStackNameToLoopback_whileStackRuns() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      InetAddress www = InetAddress.getByName("www.foobar.com");
      InetAddress apex = InetAddress.getByName("foobar.com");

      assertThat(www.getHostAddress()).isEqualTo(LOOPBACK);
      assertThat(www.getHostName()).isEqualTo("www.foobar.com");
      assertThat(apex.getHostAddress()).isEqualTo(LOOPBACK);
      assertThat(InetAddress.getAllByName("www.foobar.com")).extracting(InetAddress::getHostAddress)
          .containsExactly(LOOPBACK);
    }
  }

  @Test
  void keepsTheCallersSpelling_whenNameDiffersInCase() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      InetAddress www = InetAddress.getByName("WWW.FooBar.com");

      assertThat(www.getHostAddress()).isEqualTo(LOOPBACK);
      assertThat(www.getHostName()).isEqualTo("WWW.FooBar.com");
    }
  }

  @Test
  void plainHttpClientGetsDemoApi_byStackNameAndBalancerPort() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      int port = stack.balancer().orElseThrow().address().getPort();

      HttpResponse<String> r = get(plainClient, "http://www.foobar.com:" + port + "/api/posts");

      assertThat(r.statusCode()).isEqualTo(200);
      // Answered by the stack's application server, through its balancer.
      assertThat(r.headers().firstValue("X-Served-By")).hasValue("app-1");
      assertThat(r.headers().allValues("Via")).anySatisfy(via -> assertThat(via).contains("lb-1"));
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(r.body()).startsWith("[");
    }
  }

  @Test
  void appSeesStackNameAndPortInHostHeader_whenPlainHttpClientUsesStackName() throws Exception {
    StackSpec echoHost = StackSpec.distributed().toBuilder()
        .appServers(1, app -> app.handler(req -> AppResponse.text(req.header("Host").orElse("none"))))
        .build();
    try (EmulatedStack stack = echoHost.start()) {
      int port = stack.balancer().orElseThrow().address().getPort();
      // stack.uri(..) routes the name to the same node: the two ways to find the port agree.
      assertThat(stack.uri("http://www.foobar.com/api/posts").getPort()).isEqualTo(port);

      HttpResponse<String> r = get(plainClient, "http://www.foobar.com:" + port + "/api/posts");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("www.foobar.com:" + port);
    }
  }

  @Test
  void failsWithNxdomainNamingTheZone_whenNameInZoneHasNoRecord() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThatThrownBy(() -> InetAddress.getByName("nope.foobar.com"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessageContaining("nope.foobar.com")
          .hasMessageContaining("NXDOMAIN")
          .hasMessageContaining("zone foobar.com");
    }
  }

  @Test
  void fallsThroughToJdkResolver_forNamesNoStackServes() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThat(InetAddress.getByName("localhost").isLoopbackAddress()).isTrue();
      // .invalid never resolves (RFC 6761); the built-in resolver says so, not the stack's zone.
      Throwable t = catchThrowable(() -> InetAddress.getByName("nope.invalid"));
      assertThat(t).isInstanceOf(UnknownHostException.class);
      assertThat(t.getMessage()).doesNotContain("foobar.com");
    }
  }

  @Test
  void stopsResolvingStackName_afterStackCloses() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThat(InetAddress.getByName("www.foobar.com").getHostAddress()).isEqualTo(LOOPBACK);
    }

    // Now the JDK's resolver answers: no DNS is reachable from the build (UnknownHostException); with a network,
    // the real foobar.com's address, which is not loopback.
    InetAddress after = null;
    try {
      after = InetAddress.getByName("www.foobar.com");
    } catch (UnknownHostException expected) {
      assertThat(expected.getMessage()).doesNotContain("zone foobar.com");
    }
    if (after != null) {
      assertThat(after.isLoopbackAddress()).as("www.foobar.com after the stack closed: %s", after).isFalse();
    }
  }

  @Test
  void failsPointingToPerStackClients_whileTwoStacksServeTheSameZone() throws Exception {
    try (EmulatedStack first = StackSpec.distributed().start();
        EmulatedStack second = StackSpec.distributed().start()) {
      assertThatThrownBy(() -> InetAddress.getByName("www.foobar.com"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessageContaining("2 running stacks serve zone foobar.com")
          .hasMessageContaining(first.name())
          .hasMessageContaining(second.name())
          .hasMessageContaining("stack.httpClient()")
          .hasMessageContaining("stack.uri(");
      // The per-stack clients the message points to still reach each stack.
      assertThat(get(first.httpClient(), "http://www.foobar.com/api/posts").statusCode()).isEqualTo(200);
      assertThat(get(second.httpClient(), "http://www.foobar.com/api/posts").statusCode()).isEqualTo(200);

      second.close();

      assertThat(InetAddress.getByName("www.foobar.com").getHostAddress()).isEqualTo(LOOPBACK);
    }
  }

  /** A client that knows nothing about stacks: it finds them through InetAddress alone. One per test. */
  private final HttpClient plainClient = HttpClient.newHttpClient();

  @AfterEach
  void closePlainClient() throws Exception {
    if (plainClient instanceof AutoCloseable closeable) { // JDK 21+; the module compiles against 18
      closeable.close();
    }
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}

package dev.webstack.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.audit.Topologies.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit checked against the emulation itself: in a fresh stack of each topology, every component and every
 * host is killed in turn, and real requests must do exactly what the audit says that loss does. {@link
 * Impact#NONE}: a static page and an application request that reads the data are both answered 200, and one that
 * writes it succeeds; {@link Impact#WRITES}: the reads are answered, the writes fail; {@link Impact#APPLICATION}:
 * the static page is answered, the application requests fail; {@link Impact#SITE}: every request fails. Each
 * kind of request is sent {@value #TRIES} times, so that round robin picks the dead server at least once where
 * there is one.
 */
class AuditAgainstEmulationTest {

  static final int TRIES = 4;

  static Stream<Arguments> losses() {
    List<Arguments> out = new ArrayList<>();
    for (Topology t : Topologies.all()) {
      Audit audit = t.spec().audit();
      t.spec().components().forEach(c ->
          out.add(Arguments.of(t, "component", c.name(), audit.impactOfLosingComponent(c.name()))));
      t.spec().hosts().forEach(h ->
          out.add(Arguments.of(t, "host", h.name(), audit.impactOfLosingHost(h.name()))));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: losing {1} {2} -> {3}")
  @MethodSource("losses")
  void losing_failsExactlyTheRequestsTheAuditSays(Topology topology, String what, String name, Impact impact) {
    try (EmulatedStack stack = topology.spec().start()) {
      HttpClient http = stack.httpClient();
      assertServed(http, "http://www.foobar.com/", true, "before the loss");
      assertServed(http, "http://www.foobar.com" + topology.appPath(), true, "before the loss");

      if (what.equals("component")) {
        stack.node(name).kill();
      } else {
        stack.host(name).kill();
      }

      assertServed(http, "http://www.foobar.com/", impact != Impact.SITE, impact.toString());
      assertServed(http, "http://www.foobar.com" + topology.appPath(),
          impact == Impact.NONE || impact == Impact.WRITES, impact.toString());
      if (topology.writes()) {
        assertWritten(http, "http://www.foobar.com" + topology.appPath(), impact == Impact.NONE, impact.toString());
      }
    }
  }

  private static void assertWritten(HttpClient http, String url, boolean written, String why) {
    for (int i = 0; i < TRIES; i++) {
      HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString("written after the loss " + i)).build());
      if (written) {
        assertThat(r.statusCode()).as("POST %s, try %d (%s): %s", url, i + 1, why, r.body()).isBetween(200, 299);
      } else {
        assertThat(r.statusCode()).as("POST %s, try %d (%s): %s", url, i + 1, why, r.body()).isGreaterThanOrEqualTo(500);
      }
    }
  }

  private static void assertServed(HttpClient http, String url, boolean served, String why) {
    for (int i = 0; i < TRIES; i++) {
      HttpResponse<String> r = get(http, url);
      if (served) {
        assertThat(r.statusCode()).as("GET %s, try %d (%s): %s", url, i + 1, why, r.body()).isEqualTo(200);
      } else {
        assertThat(r.statusCode()).as("GET %s, try %d (%s): %s", url, i + 1, why, r.body()).isGreaterThanOrEqualTo(500);
      }
    }
  }

  private static HttpResponse<String> get(HttpClient client, String url) {
    return send(client, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build());
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
    String url = request.method() + " " + request.uri();
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

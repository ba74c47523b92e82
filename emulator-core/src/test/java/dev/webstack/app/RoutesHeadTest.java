package dev.webstack.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * HEAD on a GET route: every general-purpose server supports GET and HEAD (RFC 9110 §9.1), and the frameworks run
 * behind gunicorn (Flask/Werkzeug, Django) answer HEAD with the GET route's head; {@link Routes} answered 405.
 */
class RoutesHeadTest {

  @Test
  void headOnAGetRoute_isAnsweredLikeGetWithoutTheBody() throws Exception {
    StackSpec spec = StackSpec.builder("foobar.com").webServers(1).appServers(1, app -> app.handler(Routes.builder()
        .get("/api/items/{id}", req -> AppResponse.text("item " + req.pathParam("id").orElseThrow() + " " + req.method()))
        .build())).build();
    try (EmulatedStack stack = spec.start()) {
      HttpResponse<String> head = stack.httpClient().send(HttpRequest.newBuilder(
              URI.create("http://www.foobar.com/api/items/7")).method("HEAD", HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf("item 7 HEAD".length()));
    }
  }

  @Test
  void allowOf405_namesHeadWhereGetIsAllowed() throws Exception {
    Routes routes = Routes.builder().get("/x", req -> AppResponse.text("x")).build();
    AppResponse response = routes.handle(new FakeRequest("DELETE", "/x"));

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers()).containsEntry("Allow", "GET, HEAD");
  }

  private static final class FakeRequest implements AppRequest {
    private final String method;
    private final String path;

    FakeRequest(String method, String path) {
      this.method = method;
      this.path = path;
    }

    @Override public String method() { return method; }
    @Override public String path() { return path; }
    @Override public java.util.Optional<String> pathParam(String name) { return java.util.Optional.empty(); }
    @Override public java.util.Optional<String> queryParam(String name) { return java.util.Optional.empty(); }
    @Override public java.util.Optional<String> header(String name) { return java.util.Optional.empty(); }
    @Override public java.util.Map<String, java.util.List<String>> headers() { return java.util.Map.of(); }
    @Override public String body() { return ""; }
    @Override public String node() { return "app-1"; }
    @Override public javax.sql.DataSource dataSource() { throw new IllegalStateException("no database"); }
  }
}

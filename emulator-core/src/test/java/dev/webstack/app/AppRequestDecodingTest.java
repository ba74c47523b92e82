package dev.webstack.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the application sees a percent-encoded path and query, as {@link AppRequest} documents it. */
class AppRequestDecodingTest {

  @Test
  void pathIsDecodedExceptEncodedSlashes_andQueryIsFormDecoded() throws Exception {
    StackSpec spec = StackSpec.builder("foobar.com").webServers(1).appServers(1, app -> app.handler(Routes.builder()
        .get("/api/files/{name}", req -> AppResponse.text(req.path() + "|" + req.pathParam("name").orElseThrow() + "|"
            + req.queryParam("q").orElseThrow()))
        .build())).build();
    try (EmulatedStack stack = spec.start()) {
      HttpResponse<String> response = stack.httpClient().send(HttpRequest.newBuilder(
              URI.create("http://www.foobar.com/api/files/a%2Fb%20c%C3%A9?q=%2F%25+x"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.body()).isEqualTo("/api/files/a%2Fb cé|a%2Fb cé|/% x");
    }
  }
}

package dev.webstack.samples;

import static dev.webstack.junit.WebStackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.RequestPath;
import dev.webstack.StackSpec;
import dev.webstack.app.AppResponse;
import dev.webstack.app.Routes;
import dev.webstack.junit.WebStackExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The programmatic style: a spec of your own (here two application servers running an orders API) in a {@code
 * static} field, so the whole class shares one stack; an instance field would give each test its own.
 */
class ProgrammaticStyleTest {

  @RegisterExtension
  static WebStackExtension stack = WebStackExtension.of(StackSpec.distributed().toBuilder()
      .appServers(2, app -> app.handler(Routes.builder()
          .get("/api/orders/{id}", req -> AppResponse.json("{\"id\":" + req.pathParam("id").orElseThrow() + "}"))
          .build()))
      .build());

  @Test
  void ordersAreServedThroughTheWholeStack() throws Exception {
    HttpResponse<String> r = stack.httpClient().send(HttpRequest.newBuilder(stack.url("/api/orders/7")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"id\":7}");
    assertThat(RequestPath.of(r).hops()).startsWith("lb-1").hasSize(3);
  }

  @Test
  void theStackIsSharedByTheClass() {
    assertThat(stack.stack()).isRunning();
    assertThat(stack.stack().appServers()).hasSize(2);
  }
}

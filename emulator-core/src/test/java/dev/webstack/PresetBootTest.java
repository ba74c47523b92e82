package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class PresetBootTest {

  @Test
  void simpleStack_servesAStaticPageAndTheApiFromOneServer() {
    try (EmulatedStack stack = StackSpec.simpleWebStack().start()) {
      HttpResponse<String> page = Http.get(stack.httpClient(), "http://www.foobar.com/");
      HttpResponse<String> api = Http.get(stack.httpClient(), "http://www.foobar.com/api/posts");

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<h1>It works</h1>");
      assertThat(RequestPath.of(page).hops()).containsExactly("web-1");
      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(api.headers().firstValue("content-type")).contains("application/json");
      assertThat(api.body()).isEqualTo(
          "[{\"id\":1,\"body\":\"Hello from foobar.com\"},{\"id\":2,\"body\":\"Served by the emulated stack\"}]");
      assertThat(RequestPath.of(api).hops()).containsExactly("web-1", "app-1");
    }
  }

  @Test
  void distributedStack_servesThroughBalancerWebAppAndDatabase() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      HttpResponse<String> created = Http.post(stack.httpClient(), "http://www.foobar.com/api/posts", "third");
      HttpResponse<String> read = Http.get(stack.httpClient(), "http://www.foobar.com/api/posts/3");

      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.headers().firstValue("location")).contains("/api/posts/3");
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).isEqualTo("{\"id\":3,\"body\":\"third\"}");
      RequestPath path = RequestPath.of(read);
      assertThat(path.hops()).hasSize(3);
      assertThat(path.hops().get(0)).isEqualTo("lb-1");
      assertThat(path.hops().get(1)).isIn("web-1", "web-2");
      assertThat(path.origin()).contains("app-1");
    }
  }

  @Test
  void apexName_reachesTheSameEntryAsWww() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      HttpResponse<String> r = Http.get(stack.httpClient(), "http://foobar.com/");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(RequestPath.of(r).first("lb")).contains("lb-1");
    }
  }

  @Test
  void everyNode_listensOnLoopbackOnly() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThat(stack.nodes()).allSatisfy(n -> assertThat(n.address().getAddress().isLoopbackAddress()).isTrue());
      assertThat(stack.proxyAddress().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void describe_showsHostsNodesAndPorts() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      String text = stack.describe();

      assertThat(text).startsWith("stack " + stack.name() + " (running) serving foobar.com");
      assertThat(text).contains("host lb-1 (8.8.8.8)", "lb-1 [HAProxy role] :80 -> ",
          "web-2 [Nginx role] :80", "app-1 [Gunicorn role] :8000", "db-1 [MySQL role] :3306",
          "dns www.foobar.com. 300 IN A 8.8.8.8");
    }
  }
}

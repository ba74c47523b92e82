package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

  @Test
  void balancer_alternatesWebServersExactly() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      List<String> webs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        webs.add(RequestPath.of(Http.get(stack.httpClient(), "http://www.foobar.com/")).first("web").orElseThrow());
      }

      assertThat(webs).containsExactly(
          "web-1", "web-2", "web-1", "web-2", "web-1", "web-2", "web-1", "web-2", "web-1", "web-2");
    }
  }

  @Test
  void balancer_cyclesThroughThreeWebServersInOrder() {
    StackSpec spec = StackSpec.distributed().toBuilder().webServers(3).build();
    try (EmulatedStack stack = spec.start()) {
      List<String> webs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        webs.add(RequestPath.of(Http.get(stack.httpClient(), "http://www.foobar.com/")).first("web").orElseThrow());
      }

      assertThat(webs).containsExactly("web-1", "web-2", "web-3", "web-1", "web-2", "web-3");
    }
  }

  @Test
  void webServer_alternatesAppServersExactly() {
    StackSpec spec = StackSpec.simpleWebStack().toBuilder().appServers(2, app -> app.host("server-1")
        .port(app.name().equals("app-1") ? 8000 : 8001)).build();
    try (EmulatedStack stack = spec.start()) {
      List<String> apps = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        apps.add(RequestPath.of(Http.get(stack.httpClient(), "http://www.foobar.com/api/whoami")).origin()
            .orElseThrow());
      }

      assertThat(apps).containsExactly("app-1", "app-2", "app-1", "app-2", "app-1", "app-2");
    }
  }
}

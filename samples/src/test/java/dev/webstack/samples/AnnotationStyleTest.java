package dev.webstack.samples;

import static dev.webstack.junit.WebStackAssertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.junit.StackNode;
import dev.webstack.junit.TrafficRecorder;
import dev.webstack.junit.WebStack;
import org.junit.jupiter.api.Test;

/**
 * The annotation style: {@code @WebStack} starts a stack for every test (the distributed preset here, with a
 * third web server) and injects it and its parts as parameters. A failing test prints the stack's state and seed.
 */
@WebStack(webServers = 3)
class AnnotationStyleTest {

  @Test
  void roundRobin_sharesTheLoadEvenly(TrafficRecorder traffic) {
    for (int i = 0; i < 6; i++) {
      traffic.get("http://www.foobar.com/api/posts");
    }

    assertThat(traffic).allSucceeded().servedEvenly("web-1", "web-2", "web-3");
    assertThat(traffic).node("app-1").served(6);
  }

  @Test
  void aDeadWebServer_isRoutedAround(EmulatedStack stack, TrafficRecorder traffic, @StackNode("web-2") Node web2) {
    web2.kill();
    for (int i = 0; i < 6; i++) {
      traffic.get("http://www.foobar.com/");
    }

    assertThat(stack).node("web-2").isKilled();
    assertThat(stack).hasEvent("web-2", "kill");
    assertThat(traffic).allSucceeded().node("web-2").servedNone();
    assertThat(traffic).servedEvenly("web-1", "web-3");
  }
}

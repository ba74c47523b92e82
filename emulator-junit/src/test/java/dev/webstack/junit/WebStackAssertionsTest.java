package dev.webstack.junit;

import static dev.webstack.junit.WebStackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import org.junit.jupiter.api.Test;

/** The assertions pass when they should, and their failure messages say what was expected and what was seen. */
@WebStack
class WebStackAssertionsTest {

  @Test
  void node_isRunning_isKilled(EmulatedStack stack, @StackNode("web-1") Node web1) {
    assertThatCode(() -> assertThat(stack).isRunning().node("web-1").isRunning().isOnHost("web-1"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> assertThat(web1).isKilled())
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected node web-1 to be killed, but it is running on 127.0.0.1:" + web1.address().getPort());

    web1.kill();

    assertThatCode(() -> assertThat(stack).node("web-1").isKilled()).doesNotThrowAnyException();
    assertThatThrownBy(() -> assertThat(web1).isRunning())
        .hasMessage("Expected node web-1 to be running, but it is down (host web-1 is up)");
    assertThatThrownBy(() -> assertThat(web1).isOnHost("lb-1"))
        .hasMessage("Expected node web-1 to be on host lb-1, but it is on web-1");
  }

  @Test
  void stack_unknownNode_runningNodes_events(EmulatedStack stack, @StackNode("app-1") Node app1) {
    assertThatThrownBy(() -> assertThat(stack).node("web-9"))
        .hasMessage("Expected stack " + stack.name() + " to have a node named web-9, but its nodes are "
            + "[db-1, app-1, web-1, web-2, lb-1]");
    assertThatThrownBy(() -> assertThat(stack).hasEvent("app-1", "kill"))
        .hasMessage("Expected stack " + stack.name() + " to have logged a kill event for app-1, but its 0 events "
            + "are: none");

    app1.kill();

    assertThatCode(() -> assertThat(stack).hasEvent("app-1", "kill")
        .hasRunningNodesExactly("lb-1", "web-1", "web-2", "db-1")).doesNotThrowAnyException();
    assertThatThrownBy(() -> assertThat(stack).hasRunningNodesExactly("lb-1"))
        .hasMessageStartingWith("Expected stack " + stack.name() + " to run exactly [lb-1], but it runs "
            + "[db-1, lb-1, web-1, web-2]")
        .hasMessageContaining("app-1 [Gunicorn role] :8000 -> 127.0.0.1:");
  }

  @Test
  void traffic_servedCounts_evenness_success(TrafficRecorder traffic, @StackNode("web-2") Node web2) {
    traffic.get("http://www.foobar.com/");
    traffic.get("http://www.foobar.com/");

    assertThatCode(() -> assertThat(traffic).hasRequestCount(2).allSucceeded().servedEvenly("web-1", "web-2")
        .node("web-1").served(1).node("lb-1").servedSome().node("app-1").servedNone())
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> assertThat(traffic).node("web-1").served(2))
        .hasMessage(String.format("Expected web-1 to have served 2 requests, but it served 1 (all nodes: "
            + "{lb-1=2, web-1=1, web-2=1})%nrequests:%n"
            + "  GET http://www.foobar.com/ -> 200 via lb-1 > web-1%n"
            + "  GET http://www.foobar.com/ -> 200 via lb-1 > web-2"));
    assertThatThrownBy(() -> assertThat(traffic).node("app-1").servedSome())
        .hasMessageStartingWith("Expected app-1 to have served some requests, but it served none");
    assertThatThrownBy(() -> assertThat(traffic).hasRequestCount(3))
        .hasMessageStartingWith("Expected 3 requests to stack ")
        .hasMessageContaining("but 2 were recorded:");

    web2.kill();
    traffic.get("http://www.foobar.com/");
    traffic.get("http://www.foobar.com/");

    assertThatThrownBy(() -> assertThat(traffic).servedEvenly("web-1", "web-2"))
        .hasMessageStartingWith("Expected [web-1, web-2] to have served requests evenly (within one), but they served "
            + "{web-1=3, web-2=1}");
  }

  @Test
  void traffic_failedRequests_areListed(EmulatedStack stack, TrafficRecorder traffic) {
    stack.balancer().orElseThrow().kill();
    traffic.get("http://www.foobar.com/api/posts");

    assertThatThrownBy(() -> assertThat(traffic).allSucceeded())
        .hasMessageStartingWith(String.format("Expected every request to stack %s to succeed, but 1 of 1 did not:%n"
            + "  GET http://www.foobar.com/api/posts -> 502", stack.name()));
  }
}

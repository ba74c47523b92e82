package dev.webstack.junit;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;

/**
 * AssertJ entry points for stacks, their nodes and the traffic a {@link TrafficRecorder} sent:
 *
 * <pre>{@code
 * import static dev.webstack.junit.WebStackAssertions.assertThat;
 *
 * assertThat(stack).node("web-1").isKilled();
 * assertThat(traffic).allSucceeded().node("web-2").served(4);
 * assertThat(traffic).servedEvenly("web-2", "web-3");
 * }</pre>
 *
 * <p>Needs {@code org.assertj:assertj-core} on the test class path (the module does not bring it). Failure
 * messages name the stack and show what was observed: node states, or each recorded exchange with its path.
 *
 * <p>What the assertions can see is what the stack shows today: node states, the event log and the paths of
 * recorded responses. Assertions on the balancer's view (a server marked DOWN, HAProxy statistics) and on
 * replication lag come with those features of the core.
 */
public final class WebStackAssertions {

  private WebStackAssertions() {}

  public static StackAssert assertThat(EmulatedStack actual) {
    return new StackAssert(actual);
  }

  public static NodeAssert assertThat(Node actual) {
    return new NodeAssert(actual);
  }

  public static TrafficAssert assertThat(TrafficRecorder actual) {
    return new TrafficAssert(actual);
  }
}

package dev.webstack.junit;

import dev.webstack.Node;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one {@link Node}; obtained from {@link WebStackAssertions} or {@link StackAssert#node(String)}. */
public final class NodeAssert extends AbstractAssert<NodeAssert, Node> {

  NodeAssert(Node actual) {
    super(actual, NodeAssert.class);
  }

  /** Checks that the node accepts work. */
  public NodeAssert isRunning() {
    isNotNull();
    if (!actual.isRunning()) {
      failWithMessage("Expected node %s to be running, but it is down (host %s is %s)", actual.name(),
          actual.host().name(), actual.host().isUp() ? "up" : "down");
    }
    return this;
  }

  /** Checks that the node is down: killed, its host killed, or its stack closed. */
  public NodeAssert isKilled() {
    isNotNull();
    if (actual.isRunning()) {
      failWithMessage("Expected node %s to be killed, but it is running on 127.0.0.1:%d", actual.name(),
          actual.address().getPort());
    }
    return this;
  }

  /** Checks that the node runs on the host named {@code host}. */
  public NodeAssert isOnHost(String host) {
    isNotNull();
    if (!actual.host().name().equals(host)) {
      failWithMessage("Expected node %s to be on host %s, but it is on %s", actual.name(), host, actual.host().name());
    }
    return this;
  }
}

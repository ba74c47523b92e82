package dev.webstack.junit;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.inspection.StackEvent;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a running {@link EmulatedStack}; from {@link WebStackAssertions#assertThat(EmulatedStack)}. */
public final class StackAssert extends AbstractAssert<StackAssert, EmulatedStack> {

  StackAssert(EmulatedStack actual) {
    super(actual, StackAssert.class);
  }

  /** Checks that the stack is running (started and not closed). */
  public StackAssert isRunning() {
    isNotNull();
    if (!actual.isRunning()) {
      failWithMessage("Expected stack %s to be running, but it is not (%s)", actual.name(), actual);
    }
    return this;
  }

  /** Continues with assertions on the node named {@code name}; fails when the stack has no such node. */
  public NodeAssert node(String name) {
    isNotNull();
    Node node = actual.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
    if (node == null) {
      failWithMessage("Expected stack %s to have a node named %s, but its nodes are %s", actual.name(), name,
          actual.nodes().stream().map(Node::name).toList());
    }
    return new NodeAssert(node);
  }

  /** Checks that exactly these nodes run, in any order, and every other node is down. */
  public StackAssert hasRunningNodesExactly(String... names) {
    isNotNull();
    List<String> running = actual.nodes().stream().filter(Node::isRunning).map(Node::name).sorted().toList();
    List<String> expected = java.util.Arrays.stream(names).sorted().toList();
    if (!running.equals(expected)) {
      failWithMessage("Expected stack %s to run exactly %s, but it runs %s%n%s", actual.name(), expected, running,
          actual.describe());
    }
    return this;
  }

  /** Checks that the event log holds an event of {@code type} (for example {@code kill}) for {@code component}. */
  public StackAssert hasEvent(String component, String type) {
    isRunning();
    List<StackEvent> events = actual.events();
    if (events.stream().noneMatch(e -> e.component().equals(component) && e.type().equals(type))) {
      StringBuilder log = new StringBuilder();
      events.forEach(e -> log.append(String.format("%n  ")).append(e));
      failWithMessage("Expected stack %s to have logged a %s event for %s, but its %d events are:%s", actual.name(),
          type, component, events.size(), events.isEmpty() ? " none" : log.toString());
    }
    return this;
  }
}

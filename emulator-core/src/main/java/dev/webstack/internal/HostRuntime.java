package dev.webstack.internal;

import dev.webstack.Host;
import dev.webstack.HostSpec;
import dev.webstack.Node;
import java.util.ArrayList;
import java.util.List;

/** A running host: its nodes share its fate. */
public final class HostRuntime implements Host {

  private final HostSpec spec;
  private final List<AbstractNode> nodes = new ArrayList<>();
  private volatile boolean up = true;

  public HostRuntime(HostSpec spec) {
    this.spec = spec;
  }

  /** Adds a node in start order; called while the stack assembles itself. */
  public void add(AbstractNode node) {
    nodes.add(node);
    node.attach(this);
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public String address() {
    return spec.address();
  }

  @Override
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public boolean isUp() {
    return up;
  }

  @Override
  public synchronized void kill() {
    for (AbstractNode node : nodes) {
      node.checkNotClosed(); // before marking the host down: a closed stack's host stays as it was
    }
    up = false;
    IllegalStateException failure = null;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).kill();
      } catch (IllegalStateException e) {
        failure = collect(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public synchronized void restart() {
    kill();
    up = true;
    for (AbstractNode node : nodes) {
      node.startAgain();
    }
  }

  private static IllegalStateException collect(IllegalStateException first, IllegalStateException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  @Override
  public String toString() {
    return spec + (up ? "" : " DOWN");
  }
}

package dev.webstack.junit.jqwik;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.junit.TrafficRecorder;
import dev.webstack.junit.TrafficRecorder.Exchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state a jqwik {@code ActionChain} runs on: the try's running stack, the requests sent to it and every step
 * taken, each with the nodes that ran when it was taken. {@link StackActions} change it; {@link StackInvariants}
 * read it. An action of your own records its step with {@link #record(String, String, boolean)}.
 *
 * <p>Not thread-safe: a chain runs its actions one after the other.
 */
public final class StackState {

  /** What kind of step a {@link Step} was; actions of your own may use kinds of their own. */
  public static final String REQUEST = "request";
  public static final String KILL = "kill";
  public static final String RESTART = "restart";
  public static final String CLOCK = "clock";

  private final EmulatedStack stack;
  private final TrafficRecorder traffic;
  private final List<Step> steps = new ArrayList<>();

  private StackState(EmulatedStack stack) {
    this.stack = Objects.requireNonNull(stack, "stack");
    this.traffic = TrafficRecorder.of(stack);
  }

  /** A state over {@code stack}, for chains started outside a {@link WebStackProperty} try. */
  public static StackState of(EmulatedStack stack) {
    return new StackState(stack);
  }

  /**
   * The state of the current try's stack: the same object for every call within one try.
   *
   * @throws IllegalStateException outside a try of a property annotated {@link WebStackProperty}
   */
  public static StackState current() {
    return WebStackTryHook.currentState();
  }

  public EmulatedStack stack() {
    return stack;
  }

  /** The requests the chain sent, with their responses and paths. */
  public TrafficRecorder traffic() {
    return traffic;
  }

  /** Every step taken, oldest first. */
  public List<Step> steps() {
    return List.copyOf(steps);
  }

  /** The latest step, if any. */
  public Optional<Step> lastStep() {
    return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1));
  }

  /** The steps since the last one that changed the topology (a kill or restart), oldest first. */
  public List<Step> sinceLastTopologyChange() {
    int from = 0;
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).changesTopology()) {
        from = i + 1;
        break;
      }
    }
    return List.copyOf(steps.subList(from, steps.size()));
  }

  /** The names of the nodes running now, sorted. */
  public Set<String> runningNodes() {
    Set<String> running = new TreeSet<>();
    for (Node n : stack.nodes()) {
      if (n.isRunning()) {
        running.add(n.name());
      }
    }
    return running;
  }

  /** Sends {@code GET http://www.<domain><path>} and records it as a step. */
  public Exchange request(String path) {
    Set<String> running = runningNodes();
    Exchange exchange = traffic.get("http://www." + stack.spec().domain() + path);
    steps.add(new Step(steps.size() + 1, REQUEST, exchange.toString(), running, false, exchange));
    return exchange;
  }

  /** Kills the node named {@code node} and records it; a node that is down already stays down, recorded as such. */
  public void kill(String node) {
    Node n = stack.node(node);
    if (!n.isRunning()) {
      record(KILL, "kill " + node + " (down already)", false);
      return;
    }
    n.kill();
    record(KILL, "kill " + node, true);
  }

  /**
   * Restarts the node named {@code node} (on the same port) and records it; a node that runs, or whose host is
   * down, is left as it is, recorded as such.
   */
  public void restart(String node) {
    Node n = stack.node(node);
    if (n.isRunning() || !n.host().isUp()) {
      record(RESTART, "restart " + node + (n.isRunning() ? " (running already)" : " (host down)"), false);
      return;
    }
    n.restart();
    record(RESTART, "restart " + node, true);
  }

  /** Advances the stack's manual clock and records it. */
  public void advance(Duration step) {
    stack.clock().advance(step);
    record(CLOCK, "advance clock " + step, false);
  }

  /**
   * Records a step taken by an action of your own, with the nodes running after it.
   *
   * @param changesTopology whether the step changed which paths through the stack work (fairness counts
   *     restart from there)
   */
  public Step record(String kind, String description, boolean changesTopology) {
    Step step = new Step(steps.size() + 1, kind, description, runningNodes(), changesTopology, null);
    steps.add(step);
    return step;
  }

  @Override
  public String toString() {
    return "StackState[" + stack.name() + ", seed " + stack.seed() + ", " + steps.size() + " steps]";
  }

  /**
   * One step of a chain.
   *
   * @param number the step's position, from 1
   * @param kind {@link #REQUEST}, {@link #KILL}, {@link #RESTART}, {@link #CLOCK} or a kind of your own
   * @param description what was done (for a request: what came back)
   * @param runningNodes the nodes running when the step was taken (for a request: when it was sent), sorted
   * @param changesTopology whether the step changed which nodes run
   * @param exchange the request and its response, for a request step; else null
   */
  public record Step(int number, String kind, String description, Set<String> runningNodes, boolean changesTopology,
      Exchange exchange) {

    public Step {
      runningNodes = Collections.unmodifiableSortedSet(new TreeSet<>(runningNodes));
    }

    public boolean isRequest() {
      return exchange != null;
    }

    @Override
    public String toString() {
      return "#" + number + " " + description;
    }
  }
}

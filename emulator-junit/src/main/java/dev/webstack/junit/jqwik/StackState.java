package dev.webstack.junit.jqwik;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.faults.Fault;
import dev.webstack.inspection.ServerStats;
import dev.webstack.junit.TrafficRecorder;
import dev.webstack.junit.TrafficRecorder.Exchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
  public static final String PARTITION = "partition";
  public static final String HEAL = "heal";

  private final EmulatedStack stack;
  private final TrafficRecorder traffic;
  private final List<Step> steps = new ArrayList<>();
  private final Map<String, Fault> partitions = new TreeMap<>();

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

  /** The steps since the last one that changed the topology (a kill, restart, partition or heal), oldest first. */
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
    Set<String> cut = cutLinks();
    Set<String> unavailable = unavailableServers();
    Exchange exchange = traffic.get("http://www." + stack.spec().domain() + path);
    steps.add(new Step(steps.size() + 1, REQUEST, exchange.toString(), running, false, exchange, cut, unavailable));
    return exchange;
  }

  /** The links partitioned now ({@code from->to}), sorted. */
  public Set<String> cutLinks() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(partitions.keySet()));
  }

  /**
   * The servers a proxying node would not send new requests to now, as {@code proxy/server} (for example {@code
   * lb-1/web-2}): marked DOWN by its health checks, in maintenance, or weighted 0. Read from {@code
   * stack.backend(..)}.
   */
  public Set<String> unavailableServers() {
    Set<String> out = new TreeSet<>();
    List<Node> proxies = new ArrayList<>(stack.balancer().stream().toList());
    stack.webServers().stream().filter(w -> !stack.spec().appServers().isEmpty()).forEach(proxies::add);
    for (Node proxy : proxies) {
      for (ServerStats s : stack.backend(proxy.name()).stats()) {
        if (!s.isAvailable()) {
          out.add(proxy.name() + "/" + s.name());
        }
      }
    }
    return out;
  }

  /**
   * Partitions the link {@code from->to} both ways (see {@code EmulatedStack.link}) and records it; a link cut
   * already stays cut, recorded as such.
   */
  public void partition(String link) {
    if (partitions.containsKey(link)) {
      record(PARTITION, "partition " + link + " (cut already)", false);
      return;
    }
    String[] ends = ends(link);
    partitions.put(link, stack.link(ends[0], ends[1]).partition());
    record(PARTITION, "partition " + link, true);
  }

  /** Heals a partition made by {@link #partition(String)} and records it; a link not cut is left as it is. */
  public void heal(String link) {
    Fault cut = partitions.remove(link);
    if (cut == null) {
      record(HEAL, "heal " + link + " (not cut)", false);
      return;
    }
    cut.undo();
    record(HEAL, "heal " + link, true);
  }

  private static String[] ends(String link) {
    int arrow = link.indexOf("->");
    if (arrow <= 0 || arrow == link.length() - 2) {
      throw new IllegalArgumentException("link (" + link + ") must read from->to, for example lb-1->web-1");
    }
    return new String[] {link.substring(0, arrow), link.substring(arrow + 2)};
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
    Step step = new Step(steps.size() + 1, kind, description, runningNodes(), changesTopology, null, cutLinks(),
        unavailableServers());
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
   * @param changesTopology whether the step changed which nodes run or which links are cut
   * @param exchange the request and its response, for a request step; else null
   * @param cutLinks the links partitioned when the step was taken ({@code from->to}), sorted
   * @param unavailableServers the servers their proxy would not send new requests to when the step was taken
   *     ({@code proxy/server}, from its health checks, maintenance or weight), sorted
   */
  public record Step(int number, String kind, String description, Set<String> runningNodes, boolean changesTopology,
      Exchange exchange, Set<String> cutLinks, Set<String> unavailableServers) {

    public Step {
      runningNodes = Collections.unmodifiableSortedSet(new TreeSet<>(runningNodes));
      cutLinks = Collections.unmodifiableSortedSet(new TreeSet<>(cutLinks));
      unavailableServers = Collections.unmodifiableSortedSet(new TreeSet<>(unavailableServers));
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

package dev.webstack.junit.jqwik;

import dev.webstack.ComponentKind;
import dev.webstack.ComponentSpec;
import dev.webstack.StackSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * Ready-made jqwik actions on a {@link StackState}, and chains of them: random failure schedules for a stack.
 *
 * <pre>{@code
 * @Property
 * @WebStackProperty(webServers = 3)
 * void staysAvailable(@ForAll("schedules") ActionChain<StackState> chain) {
 *   chain.withInvariant("availability", StackInvariants.availability()).run();
 * }
 *
 * @Provide
 * Arbitrary<ActionChain<StackState>> schedules() {
 *   return StackActions.chains().withMaxTransformations(15);
 * }
 * }</pre>
 *
 * <h2>Shrinking</h2>
 *
 * The actions check no preconditions and read no state while jqwik generates the chain: each names its target
 * up front (from the spec's node names) and does nothing when it does not apply at run time (killing a node that
 * is down, restarting one that runs). That is what lets jqwik shrink a failing schedule well: jqwik cuts a chain
 * into ranges at every step whose generation read the state, and within a range it may drop any subset of steps,
 * while across ranges it can only drop the last step. A precondition reads the state for every step, which would
 * leave jqwik trimming from the end only.
 *
 * <h2>Adding actions</h2>
 *
 * Each action is a plain {@link Action}: to add one (a fault of your own, a database write), write an {@link
 * Action.Independent} whose transformer changes the stack through {@link StackState} and records its step with
 * {@link StackState#record}, and add it with {@code chains().withAction(weight, action)}.
 *
 * <h2>The database</h2>
 *
 * {@link #writeKey}, {@link #readKey}, {@link #killPrimary}, {@link #failover}, {@link #restartDatabase}, {@link
 * #partitionReplica} and {@link #healReplica} act on the stack's {@code DatabaseCluster} and record every write and
 * read in its {@code OperationHistory}; {@link #databaseChains()} mixes them, for {@link
 * StackInvariants#noAcknowledgedWriteLost()} and {@link StackInvariants#replicasConvergeAfterHeal()}.
 */
public final class StackActions {

  /**
   * What {@link #sendRequest()} asks for: a static page, an application call, an application call using the
   * database (the demo application's paths).
   */
  public static final List<String> DEFAULT_PATHS = List.of("/", "/api/whoami", "/api/posts");

  /** The keys {@link #writeKey()} and {@link #readKey()} use: a small key space, so writes overwrite each other. */
  public static final List<String> DEFAULT_KEYS = List.of("k1", "k2", "k3");

  /** The longest step {@link #advanceClock()} takes. */
  public static final Duration DEFAULT_MAX_CLOCK_STEP = Duration.ofSeconds(30);

  private StackActions() {}

  /**
   * Chains over the current try's stack, for a property annotated {@link WebStackProperty} (call it from the
   * property's {@code @Provide} method): requests for {@link #DEFAULT_PATHS} (weight 4), kills (1) and restarts
   * (1) of the web and application servers of the property's spec.
   *
   * @throws IllegalStateException outside a property annotated {@link WebStackProperty}
   */
  public static ActionChainArbitrary<StackState> chains() {
    return chains(WebStackTryHook.currentPropertySpec(), StackState::current);
  }

  /** Like {@link #chains()} for a stack of {@code spec}, starting from states made by {@code initial}. */
  public static ActionChainArbitrary<StackState> chains(StackSpec spec, Supplier<StackState> initial) {
    List<String> nodes = nodes(spec, ComponentKind.WEB_SERVER, ComponentKind.APP_SERVER);
    return ActionChain.<StackState>startWith(initial)
        .withAction(4, sendRequest())
        .withAction(1, killNode(nodes))
        .withAction(1, restartNode(nodes));
  }

  /** The names of {@code spec}'s nodes of the given kinds (all kinds when none are given), in start order. */
  public static List<String> nodes(StackSpec spec, ComponentKind... kinds) {
    Set<ComponentKind> wanted = kinds.length == 0 ? Set.of(ComponentKind.values()) : Set.copyOf(Arrays.asList(kinds));
    return spec.components().stream().filter(c -> wanted.contains(c.kind())).map(ComponentSpec::name).toList();
  }

  /** Sends a GET for one of {@link #DEFAULT_PATHS}. */
  public static Action.Independent<StackState> sendRequest() {
    return sendRequest(DEFAULT_PATHS);
  }

  /** Sends a GET for one of {@code paths} (each starting with {@code /}), shrinking towards the first. */
  public static Action.Independent<StackState> sendRequest(List<String> paths) {
    List<String> choices = nonEmpty("paths", paths);
    choices.forEach(p -> {
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException("path (" + p + ") must start with /");
      }
    });
    return independent(Arbitraries.of(choices).map(p -> Transformer.mutate("GET " + p, s -> s.request(p))));
  }

  /** Kills one of the named nodes; killing a node that is down does nothing (and is recorded as such). */
  public static Action.Independent<StackState> killNode(List<String> names) {
    return independent(Arbitraries.of(nonEmpty("names", names))
        .map(n -> Transformer.mutate("kill " + n, s -> s.kill(n))));
  }

  /**
   * Brings back one of the named nodes; restarting a node that runs, or whose host is down, does nothing (and is
   * recorded as such).
   */
  public static Action.Independent<StackState> restartNode(List<String> names) {
    return independent(Arbitraries.of(nonEmpty("names", names))
        .map(n -> Transformer.mutate("restart " + n, s -> s.restart(n))));
  }

  /**
   * Advances the stack's manual clock by 1 to {@link #DEFAULT_MAX_CLOCK_STEP} seconds. Only for stacks on a manual
   * clock ({@code @WebStackProperty(manualClock = true)}): on a real clock the step fails, saying so.
   */
  public static Action.Independent<StackState> advanceClock() {
    return independent(Arbitraries.integers().between(1, (int) DEFAULT_MAX_CLOCK_STEP.toSeconds())
        .map(s -> Transformer.mutate("advance clock " + s + "s", st -> st.advance(Duration.ofSeconds(s)))));
  }

  /**
   * Partitions one of the named links ({@code from->to}, see {@code EmulatedStack.linkNames()}) both ways;
   * partitioning a cut link does nothing (and is recorded as such).
   */
  public static Action.Independent<StackState> partitionLink(List<String> links) {
    return independent(Arbitraries.of(nonEmpty("links", links))
        .map(l -> Transformer.mutate("partition " + l, s -> s.partition(l))));
  }

  /** Heals one of the named links; healing a link that is not cut does nothing (and is recorded as such). */
  public static Action.Independent<StackState> healLink(List<String> links) {
    return independent(Arbitraries.of(nonEmpty("links", links))
        .map(l -> Transformer.mutate("heal " + l, s -> s.heal(l))));
  }

  /**
   * The links from the balancer to its web servers in the current property's spec (call it from the property's
   * {@code @Provide} method), for {@link #partitionLink} and {@link #healLink}.
   */
  public static List<String> balancerLinks() {
    return balancerLinks(WebStackTryHook.currentPropertySpec());
  }

  /** The links from the balancer to its web servers in {@code spec}, as {@code lb-1->web-1}. */
  public static List<String> balancerLinks(StackSpec spec) {
    return spec.balancer().map(lb -> spec.webServers().stream().map(w -> lb.name() + "->" + w.name()).toList())
        .orElse(List.of());
  }

  /**
   * Chains of database steps over the current try's stack, for a property annotated {@link WebStackProperty} with
   * replicas: writes (weight 4) and reads (2) of {@link #DEFAULT_KEYS}, kills of the primary while the other
   * database nodes run ({@link #killPrimaryWhileOthersRun()}), failovers, restarts of database nodes, and cuts and
   * heals of the replicas' replication links (1 each). One database node is down at a time, the failure
   * semi-synchronous replication tolerates: with the replica that acknowledged a write dead too, a failover loses
   * the write even in semi-sync mode (two failures). Add {@link #killPrimary()} or {@code killNode(nodes(spec,
   * ComponentKind.DATABASE))} to explore that.
   *
   * @throws IllegalStateException outside a property annotated {@link WebStackProperty}
   */
  public static ActionChainArbitrary<StackState> databaseChains() {
    return databaseChains(WebStackTryHook.currentPropertySpec(), StackState::current);
  }

  /** Like {@link #databaseChains()} for a stack of {@code spec}, starting from states made by {@code initial}. */
  public static ActionChainArbitrary<StackState> databaseChains(StackSpec spec, Supplier<StackState> initial) {
    List<String> databases = nodes(spec, ComponentKind.DATABASE);
    if (databases.isEmpty()) {
      throw new IllegalArgumentException("databaseChains needs a stack with a database; " + spec.domain()
          + "'s spec has none");
    }
    return ActionChain.<StackState>startWith(initial)
        .withAction(4, writeKey())
        .withAction(2, readKey())
        .withAction(1, killPrimaryWhileOthersRun())
        .withAction(1, failover())
        .withAction(1, restartDatabase(databases))
        .withAction(1, partitionReplica(databases))
        .withAction(1, healReplica(databases));
  }

  /** Writes one of {@link #DEFAULT_KEYS}; see {@link StackState#writeKey}. */
  public static Action.Independent<StackState> writeKey() {
    return writeKey(DEFAULT_KEYS);
  }

  /** Writes one of {@code keys} through the routing data source, recorded in the history; see {@link StackState#writeKey}. */
  public static Action.Independent<StackState> writeKey(List<String> keys) {
    return independent(Arbitraries.of(nonEmpty("keys", keys))
        .map(k -> Transformer.mutate("write " + k, s -> s.writeKey(k))));
  }

  /** Reads one of {@link #DEFAULT_KEYS}; see {@link StackState#readKey}. */
  public static Action.Independent<StackState> readKey() {
    return readKey(DEFAULT_KEYS);
  }

  /** Reads one of {@code keys} through the routing data source, recorded in the history. */
  public static Action.Independent<StackState> readKey(List<String> keys) {
    return independent(Arbitraries.of(nonEmpty("keys", keys))
        .map(k -> Transformer.mutate("read " + k, s -> s.readKey(k))));
  }

  /** Kills whichever node is the primary when the step runs; a primary down already stays down. */
  public static Action.Independent<StackState> killPrimary() {
    return independent(Arbitraries.just(Transformer.mutate("kill primary", StackState::killPrimary)));
  }

  /**
   * Kills whichever node is the primary when the step runs, but only while every other database node runs (one
   * database node down at a time: see {@link StackState#killPrimaryWhileOthersRun()}).
   */
  public static Action.Independent<StackState> killPrimaryWhileOthersRun() {
    return independent(Arbitraries.just(Transformer.mutate("kill primary while others run",
        StackState::killPrimaryWhileOthersRun)));
  }

  /** Fails over when the primary is down and a replica runs; otherwise does nothing (recorded as such). */
  public static Action.Independent<StackState> failover() {
    return independent(Arbitraries.just(Transformer.mutate("failover", StackState::failover)));
  }

  /**
   * Brings back one of the named database nodes as an operator would ({@link StackState#restartDatabase}); one
   * that runs is left as it is.
   */
  public static Action.Independent<StackState> restartDatabase(List<String> names) {
    return independent(Arbitraries.of(nonEmpty("names", names))
        .map(n -> Transformer.mutate("restart database " + n, s -> s.restartDatabase(n))));
  }

  /**
   * Cuts the replication link of one of the named database nodes from its current source; a node that is no
   * replica when the step runs, or whose link is cut, is left as it is.
   */
  public static Action.Independent<StackState> partitionReplica(List<String> names) {
    return independent(Arbitraries.of(nonEmpty("names", names))
        .map(n -> Transformer.mutate("partition replica " + n, s -> s.partitionReplica(n))));
  }

  /** Heals the replication link of one of the named database nodes; one not cut is left as it is. */
  public static Action.Independent<StackState> healReplica(List<String> names) {
    return independent(Arbitraries.of(nonEmpty("names", names))
        .map(n -> Transformer.mutate("heal replica " + n, s -> s.healReplica(n))));
  }

  private static Action.Independent<StackState> independent(Arbitrary<Transformer<StackState>> transformers) {
    return new Action.Independent<>() {
      @Override
      public Arbitrary<Transformer<StackState>> transformer() {
        return transformers;
      }
    };
  }

  private static List<String> nonEmpty(String what, List<String> values) {
    List<String> copy = List.copyOf(values);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return copy;
  }
}

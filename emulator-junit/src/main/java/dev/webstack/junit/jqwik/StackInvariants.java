package dev.webstack.junit.jqwik;

import dev.webstack.AwaitTimeoutException;
import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.WebServerSpec;
import dev.webstack.database.Anomaly;
import dev.webstack.database.DatabaseCluster;
import dev.webstack.database.HistoryChecker;
import dev.webstack.database.Operation;
import dev.webstack.database.Replica;
import dev.webstack.junit.TrafficRecorder.Exchange;
import dev.webstack.junit.jqwik.StackState.Step;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reusable checks for {@code ActionChain.withInvariant}: each runs after every action and throws an {@link
 * AssertionError} saying what broke, with the steps that led there.
 *
 * <pre>{@code
 * chain.withInvariant("availability", StackInvariants.availability())
 *      .withInvariant("fairness", StackInvariants.roundRobinFairness())
 *      .run();
 * }</pre>
 *
 * <p>The request checks read node states, response paths and the proxies' health views; availability as the
 * topology audit decides it is still to come ({@link HealthyPath} is where it plugs in). The database checks,
 * {@link #noAcknowledgedWriteLost()} and {@link #replicasConvergeAfterHeal()}, read the cluster's history and
 * its nodes' content.
 */
public final class StackInvariants {

  /** The balancing algorithms (by name) under which {@link #roundRobinFairness()} holds with equal weights. */
  public static final Set<String> ROUND_ROBIN_ALGORITHMS = Set.of("roundrobin", "swrr", "fwrr", "static-rr");

  private StackInvariants() {}

  /** {@link #availability(HealthyPath)} with the demo application's model, {@link HealthyPath#demoApplication()}. */
  public static Consumer<StackState> availability() {
    return availability(HealthyPath.demoApplication());
  }

  /**
   * After a request: when {@code model} finds a healthy path, the request got an answer from the stack's own
   * application or site (any status below 500: a 404 is an answer); when it finds none, it did not (a proxy's 502
   * or 503, or no response). An answer with no path would mean the model, or the stack, is wrong.
   */
  public static Consumer<StackState> availability(HealthyPath model) {
    return state -> {
      Optional<Step> last = state.lastStep().filter(Step::isRequest);
      if (last.isEmpty()) {
        return;
      }
      Step step = last.get();
      Exchange e = step.exchange();
      boolean answered = e.failure().isEmpty() && e.status() < 500;
      Optional<List<String>> path = model.find(state, step);
      if (path.isPresent() && !answered) {
        throw new AssertionError(String.format("availability: %s although the healthy path %s existed "
                + "(running: %s)%nsteps:%s", e, String.join(" > ", path.get()), step.runningNodes(), steps(state)));
      }
      if (path.isEmpty() && answered) {
        throw new AssertionError(String.format("availability: %s although no healthy path existed (running: %s)"
            + "%nsteps:%s", e, step.runningNodes(), steps(state)));
      }
    };
  }

  /**
   * Since the rotation last changed (a kill, restart, partition, heal, or a health check taking a server out or
   * back), the balancer's web servers in rotation (running, over a link not cut, not taken out by its checks)
   * served requests evenly, within one: what round robin promises among servers that stay healthy (a server that refuses is skipped and its turn passes
   * to the next, as HAProxy's redispatch does). Holds for the round-robin algorithms with equal weights.
   *
   * @throws IllegalStateException (when checked) for a stack without a balancer, another algorithm, or unequal
   *     weights
   */
  public static Consumer<StackState> roundRobinFairness() {
    return state -> {
      var spec = state.stack().spec();
      String algorithm = spec.balancer().map(b -> b.algorithm().name()).orElseThrow(() ->
          new IllegalStateException("roundRobinFairness needs a balancer; stack " + state.stack().name()
              + " has none"));
      if (!ROUND_ROBIN_ALGORITHMS.contains(algorithm)
          || spec.webServers().stream().map(WebServerSpec::weight).distinct().count() > 1) {
        throw new IllegalStateException("roundRobinFairness holds for " + ROUND_ROBIN_ALGORITHMS
            + " with equal weights; stack " + state.stack().name() + " balances with " + algorithm + " and weights "
            + spec.webServers().stream().map(WebServerSpec::weight).toList());
      }
      List<Step> epoch = sinceRotationChanged(state);
      if (epoch.isEmpty() || !epoch.get(epoch.size() - 1).isRequest()) {
        return;
      }
      Step first = epoch.get(0);
      String lb = spec.balancer().get().name();
      Map<String, Integer> counts = new TreeMap<>();
      for (Node web : state.stack().webServers()) {
        if (first.runningNodes().contains(web.name()) && !first.cutLinks().contains(lb + "->" + web.name())
            && !first.unavailableServers().contains(lb + "/" + web.name())) {
          counts.put(web.name(), 0);
        }
      }
      for (Step s : epoch) {
        if (s.isRequest()) {
          s.exchange().path().first("web").filter(counts::containsKey).ifPresent(w -> counts.merge(w, 1, Integer::sum));
        }
      }
      int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
      int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      if (max - min > 1) {
        throw new AssertionError(String.format("roundRobinFairness: since step #%d the running web servers served "
            + "%s, more than one apart%nsteps:%s", epoch.get(0).number(), counts, steps(state)));
      }
    };
  }

  /**
   * The steps since the rotation last changed: a kill, restart, partition or heal, or a health check taking a
   * server out of rotation or bringing it back (seen as a change of the unavailable servers between steps).
   */
  private static List<Step> sinceRotationChanged(StackState state) {
    List<Step> steps = state.steps();
    int from = 0;
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).changesTopology()
          || (i > 0 && !steps.get(i).unavailableServers().equals(steps.get(i - 1).unavailableServers()))) {
        from = steps.get(i).changesTopology() ? i + 1 : i;
        break;
      }
    }
    return steps.subList(from, steps.size());
  }

  /** Every response came only through nodes that were running when its request was sent. */
  public static Consumer<StackState> noRoutingToKilledNodes() {
    return state -> {
      Optional<Step> last = state.lastStep().filter(Step::isRequest);
      if (last.isEmpty()) {
        return;
      }
      Step step = last.get();
      List<String> dead = step.exchange().path().hops().stream()
          .filter(hop -> !step.runningNodes().contains(hop))
          .toList();
      if (!dead.isEmpty()) {
        throw new AssertionError(String.format("noRoutingToKilledNodes: %s went through %s, which %s down when it "
            + "was sent (running: %s)%nsteps:%s", step.exchange(), dead, dead.size() == 1 ? "was" : "were",
            step.runningNodes(), steps(state)));
      }
    };
  }

  /**
   * No proxy sent the request to a server it had taken out of rotation when the request was sent: marked DOWN by
   * its health checks, in maintenance (MAINT) or weighted 0, as HAProxy never does. Checks the proxy-to-server
   * hops of the response's path against {@link StackState.Step#unavailableServers()}. Exact on a manual clock;
   * on the real clock a health check may change a server's state while the request is under way.
   */
  public static Consumer<StackState> noRoutingToUnavailableServers() {
    return state -> {
      Optional<Step> last = state.lastStep().filter(Step::isRequest);
      if (last.isEmpty()) {
        return;
      }
      Step step = last.get();
      List<String> hops = step.exchange().path().hops();
      for (int i = 0; i + 1 < hops.size(); i++) {
        String hop = hops.get(i) + "/" + hops.get(i + 1);
        if (step.unavailableServers().contains(hop)) {
          throw new AssertionError(String.format("noRoutingToUnavailableServers: %s went %s > %s although %s had "
                  + "taken %s out of rotation (unavailable: %s)%nsteps:%s", step.exchange(), hops.get(i),
              hops.get(i + 1), hops.get(i), hops.get(i + 1), step.unavailableServers(), steps(state)));
        }
      }
    };
  }

  /**
   * Every invariant of this class that applies to the state's stack, in one check: availability and no routing
   * through dead nodes always, no routing to servers out of rotation on a manual clock, round-robin fairness
   * when the balancer is a round robin with equal weights.
   */
  public static Consumer<StackState> all() {
    Consumer<StackState> availability = availability();
    Consumer<StackState> noDeadHops = noRoutingToKilledNodes();
    Consumer<StackState> noUnavailableHops = noRoutingToUnavailableServers();
    Consumer<StackState> fairness = roundRobinFairness();
    return state -> {
      availability.accept(state);
      noDeadHops.accept(state);
      if (state.stack().clock().isManual()) {
        noUnavailableHops.accept(state);
      }
      var spec = state.stack().spec();
      if (spec.balancer().isPresent() && ROUND_ROBIN_ALGORITHMS.contains(spec.balancer().get().algorithm().name())
          && spec.webServers().stream().map(WebServerSpec::weight).distinct().count() <= 1) {
        fairness.accept(state);
      }
    };
  }

  /** How long {@link #replicasConvergeAfterHeal()} and {@link #converged(StackState)} wait for the replicas. */
  public static final Duration DEFAULT_CONVERGENCE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * No write the cluster acknowledged is missing from the current primary's {@link StackState#KV_TABLE} (unless a
   * later write may have overwritten it): {@code HistoryChecker.lostWrites} over the cluster's history, with the
   * primary's table as the final state. That is what semi-synchronous replication promises across failovers: a
   * commit is acknowledged only once a replica has it, and failover promotes the replica that received the most.
   * Writes acknowledged while semi-sync had fallen back to asynchronous ({@link StackState#unprotectedWrites()})
   * are excused, as MySQL excuses them; in asynchronous mode no write is excused, so the check shows what a
   * failover lost. Checked after every step; cheap (one table of one node).
   */
  public static Consumer<StackState> noAcknowledgedWriteLost() {
    return state -> {
      DatabaseCluster db = state.stack().databaseCluster();
      List<Operation> history = db.history().operations();
      if (history.stream().noneMatch(op -> op.isWrite() && op.outcome() == Operation.Outcome.OK)) {
        return;
      }
      Set<String> excused = state.unprotectedWrites();
      List<Operation> judged = history.stream()
          .map(op -> op.isWrite() && op.outcome() == Operation.Outcome.OK && excused.contains(op.value())
              ? new Operation(op.process(), op.f(), op.key(), op.value(), Operation.Outcome.INFO, op.invokedAt(),
                  op.completedAt(), op.invokeTime(), op.completeTime(), op.node())
              : op)
          .toList();
      String primary = db.primary().name();
      Map<String, String> finalState = kv(db, primary);
      List<Anomaly> lost = HistoryChecker.lostWrites(judged, finalState);
      if (!lost.isEmpty()) {
        throw new AssertionError(String.format("noAcknowledgedWriteLost: %d acknowledged write(s) missing from the "
                + "primary %s (%s replication): %s%nfailovers: %s%nsteps:%s", lost.size(), primary, db.mode(),
            lost.stream().map(Anomaly::detail).toList(), db.failovers(), steps(state)));
      }
    };
  }

  /**
   * Whenever no database fault is active ({@link StackState#databaseFaults()} is empty: the primary runs, every
   * replica runs, replicates over a link not cut, with its threads running), the replicas converge: {@link
   * #converged(StackState)}. Checked after every such step, so right after the step that healed the last fault.
   * The wait is in real time and does not move a manual clock: on a manual clock with ship or apply delays,
   * advance the clock before the check (or use {@link #converged} at the end).
   */
  public static Consumer<StackState> replicasConvergeAfterHeal() {
    return state -> {
      if (state.databaseFaults().isEmpty()) {
        converged(state);
      }
    };
  }

  /** {@link #converged(StackState, Duration)} with {@link #DEFAULT_CONVERGENCE_TIMEOUT}. */
  public static void converged(StackState state) {
    converged(state, DEFAULT_CONVERGENCE_TIMEOUT);
  }

  /**
   * Waits up to {@code timeout} (real time, {@code stack.await}) until {@code DatabaseCluster.isConverged()}, then
   * compares every running replica's content with the primary's, table by table and row by row.
   *
   * @throws AssertionError when they do not converge in time, or a replica's content differs, saying where
   */
  public static void converged(StackState state, Duration timeout) {
    EmulatedStack stack = state.stack();
    DatabaseCluster db = stack.databaseCluster();
    try {
      stack.await("replicas converged", timeout, db::isConverged);
    } catch (AwaitTimeoutException e) {
      throw new AssertionError(String.format("replicasConvergeAfterHeal: the replicas did not converge within %s "
              + "(faults: %s)%nstatus:%s%nsteps:%s", timeout, state.databaseFaults(), status(db), steps(state)), e);
    }
    String primary = db.primary().name();
    Map<String, List<List<Object>>> expected = content(db, primary);
    for (Replica r : db.replicas()) {
      if (!r.node().isRunning()) {
        continue;
      }
      Map<String, List<List<Object>>> actual = content(db, r.name());
      if (!actual.equals(expected)) {
        throw new AssertionError(String.format("replicasConvergeAfterHeal: %s reports converged but its content "
                + "differs from the primary %s's: %s%nstatus:%s%nsteps:%s", r.name(), primary,
            difference(expected, actual), status(db), steps(state)));
      }
    }
  }

  private static String difference(Map<String, List<List<Object>>> expected, Map<String, List<List<Object>>> actual) {
    Set<String> tables = new TreeSet<>(expected.keySet());
    tables.addAll(actual.keySet());
    for (String t : tables) {
      List<List<Object>> e = expected.get(t);
      List<List<Object>> a = actual.get(t);
      if (e == null || a == null) {
        return "table " + t + (e == null ? " only on the replica" : " missing on the replica");
      }
      for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
        List<Object> er = i < e.size() ? e.get(i) : null;
        List<Object> ar = i < a.size() ? a.get(i) : null;
        if (!java.util.Objects.equals(er, ar)) {
          return "table " + t + ", row " + (i + 1) + ": primary " + er + ", replica " + ar;
        }
      }
    }
    return "no difference";
  }

  private static String status(DatabaseCluster db) {
    return db.status().stream().map(s -> "\n  " + s.node() + " " + s.role() + (s.running() ? "" : " down")
        + (s.source() == null ? "" : " from " + s.source() + (s.connected() ? "" : " (cut)")) + " executed "
        + s.executed() + ", relay " + s.relayLogTransactions()).collect(Collectors.joining());
  }

  private static Map<String, List<List<Object>>> content(DatabaseCluster db, String node) {
    try {
      return db.content(node);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the content of " + node + " failed", e);
    }
  }

  /** The primary's {@link StackState#KV_TABLE} as key to value (empty when the table does not exist there). */
  private static Map<String, String> kv(DatabaseCluster db, String node) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, List<List<Object>>> t : content(db, node).entrySet()) {
      if (t.getKey().equalsIgnoreCase(StackState.KV_TABLE)) {
        for (List<Object> row : t.getValue()) {
          out.put(String.valueOf(row.get(0)), row.get(1) == null ? null : String.valueOf(row.get(1)));
        }
      }
    }
    return out;
  }

  private static String steps(StackState state) {
    return state.steps().stream().map(s -> "\n  " + s).collect(Collectors.joining());
  }
}

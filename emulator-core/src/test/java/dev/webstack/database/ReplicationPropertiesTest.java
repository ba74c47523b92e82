package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property-style runs of random writes (through the application tier), replica kills and restarts, clock steps and
 * failovers, on a manual clock.
 *
 * <ul>
 *   <li>semi-sync: no acknowledged write is ever lost, and every node converges to the primary's content;
 *   <li>async: a failover reports exactly the acknowledged writes that the history shows lost.
 * </ul>
 *
 * Tries are sized for the suite (each try boots a stack). For a soak, raise them with the system property {@code
 * webstack.replication.soakTries} (for example {@code mvn -pl emulator-core test -Dtest=ReplicationPropertiesTest
 * -Dwebstack.replication.soakTries=500}): the {@code soak} examples then run that many more scenarios of each kind.
 */
class ReplicationPropertiesTest {

  private static final String SOAK = "webstack.replication.soakTries";

  /** One step of a scenario. */
  record Action(String type, int n) {
    @Override
    public String toString() {
      return type + "(" + n + ")";
    }
  }

  @Provide
  Arbitrary<List<Action>> semiSyncScenarios() {
    Arbitrary<Action> action = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.integers().between(1, 3).map(n -> new Action("write", n))),
        Tuple.of(2, Arbitraries.integers().between(0, 1).map(n -> new Action("killReplica", n))),
        Tuple.of(2, Arbitraries.integers().between(0, 1).map(n -> new Action("restartReplica", n))),
        Tuple.of(4, Arbitraries.integers().between(0, 1).map(n -> new Action("stopReceiver", n))),
        Tuple.of(1, Arbitraries.integers().between(0, 1).map(n -> new Action("startReceiver", n))),
        Tuple.of(2, Arbitraries.integers().between(1, 50).map(n -> new Action("advanceMs", n))),
        Tuple.of(2, Arbitraries.just(new Action("failover", 0))));
    return action.list().ofMinSize(5).ofMaxSize(25);
  }

  @Property(tries = 10)
  void semiSync_neverLosesAnAcknowledgedWrite(@ForAll("semiSyncScenarios") List<Action> actions) throws Exception {
    runSemiSync(actions);
  }

  @Example
  void semiSync_soak() throws Exception {
    for (List<Action> actions : semiSyncScenarios().sampleStream().limit(Integer.getInteger(SOAK, 0)).toList()) {
      runSemiSync(actions);
    }
  }

  private void runSemiSync(List<Action> actions) throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2).semiSync(Duration.ofSeconds(1))
        .applyDelay(Duration.ofMillis(20))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      int[] next = {0};
      for (Action a : actions) {
        List<Replica> replicas = db.replicas();
        switch (a.type()) {
          case "write" -> FailoverTest.writeKeys(stack, next[0], next[0] += a.n());
          case "advanceMs" -> stack.clock().advance(Duration.ofMillis(a.n()));
          case "killReplica" -> {
            // Keep one replica that can acknowledge, or a semi-sync commit would wait for the (manual) timeout.
            if (ackers(db).size() > 1) {
              ackers(db).get(a.n() % ackers(db).size()).node().kill();
            }
          }
          case "restartReplica" -> replicas.stream().filter(r -> !r.node().isRunning())
              .findFirst().ifPresent(r -> r.node().restart());
          case "stopReceiver" -> {
            if (ackers(db).size() > 1) {
              ackers(db).get(a.n() % ackers(db).size()).stopReceiver();
            }
          }
          case "startReceiver" -> replicas.forEach(Replica::startReceiver);
          case "failover" -> {
            DatabaseNode old = db.primary();
            if (ackers(db).isEmpty()) {
              continue;
            }
            old.kill();
            FailoverReport report = db.failover();
            assertThat(report.lostAcknowledged().isEmpty()).as("%s lost %s in %s", report, actions).isTrue();
            old.restart();
            assertThat(db.rejoin(old.name()).isEmpty()).as("errant transactions on %s", old.name()).isTrue();
          }
          default -> throw new AssertionError(a);
        }
      }
      // Heal everything, let the appliers catch up, then check.
      for (Replica r : db.replicas()) {
        if (!r.node().isRunning()) {
          r.node().restart();
        }
        r.resume();
      }
      stack.clock().advance(Duration.ofMillis(20));
      assertThat(db.isConverged()).as("converged after %s:\n%s", actions, db.status()).isTrue();
      String primary = db.primary().name();
      Map<String, String> finalState = FailoverTest.kvOf(db, primary);
      assertThat(HistoryChecker.lostWrites(db.history().operations(), finalState)).as("%s", actions).isEmpty();
      assertThat(db.semiSyncFallbacks()).isEmpty();
      for (DatabaseNode n : db.nodes()) {
        assertThat(db.content(n.name())).as("%s vs %s after %s", n.name(), primary, actions)
            .isEqualTo(db.content(primary));
      }
    }
  }

  /** Running replicas whose receiver runs: the ones that can acknowledge. */
  private static List<Replica> ackers(DatabaseCluster db) {
    List<Replica> out = new ArrayList<>();
    for (Replica r : db.replicas()) {
      if (r.node().isRunning() && r.status().receiverState().equals("Yes")) {
        out.add(r);
      }
    }
    return out;
  }

  @Provide
  Arbitrary<List<Action>> asyncScenarios() {
    Arbitrary<Action> action = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(1, 4).map(n -> new Action("write", n))),
        Tuple.of(3, Arbitraries.integers().between(1, 80).map(n -> new Action("advanceMs", n))),
        Tuple.of(1, Arbitraries.integers().between(0, 100).map(n -> new Action("shipDelayMs2", n))),
        Tuple.of(1, Arbitraries.integers().between(0, 100).map(n -> new Action("shipDelayMs3", n))),
        Tuple.of(1, Arbitraries.integers().between(0, 300).map(n -> new Action("applyDelayMs2", n))));
    return action.list().ofMinSize(3).ofMaxSize(25);
  }

  @Property(tries = 10)
  void async_failoverReportsExactlyTheLostWrites(@ForAll("asyncScenarios") List<Action> actions) throws Exception {
    runAsync(actions);
  }

  @Example
  void async_soak() throws Exception {
    for (List<Action> actions : asyncScenarios().sampleStream().limit(Integer.getInteger(SOAK, 0)).toList()) {
      runAsync(actions);
    }
  }

  @Property(tries = 8)
  void async_twoFailovers_reportExactlyTheLostWrites_eachOnce(@ForAll("asyncScenarios") List<Action> before,
      @ForAll("asyncScenarios") List<Action> between) throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(3).shipDelay(Duration.ofMillis(30))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      int[] next = {0};
      run(stack, before, next);
      stack.node("db-1").kill();
      FailoverReport first = db.failover();
      run(stack, between, next);
      stack.node(first.newPrimary()).kill();
      FailoverReport second = db.failover();
      Set<String> lost = FailoverTest.lostByHistory(db, second.newPrimary());
      Set<String> reported = new TreeSet<>(first.lostKeys("kv"));
      assertThat(second.lostKeys("kv")).as("counted twice: %s, %s", first, second)
          .noneMatch(reported::contains);
      reported.addAll(second.lostKeys("kv"));
      assertThat(reported).as("%s, %s after %s | %s", first, second, before, between).isEqualTo(lost);
      assertThat(db.lostAcknowledged()).isEqualTo(first.lostAcknowledged().union(second.lostAcknowledged()));
      assertThat(FailoverTest.keys(db.lostRows())).isEqualTo(lost);
    }
  }

  /** Runs the actions of an async scenario on whichever nodes are replicas of the current primary. */
  private static void run(EmulatedStack stack, List<Action> actions, int[] next) {
    DatabaseCluster db = stack.databaseCluster();
    for (Action a : actions) {
      switch (a.type()) {
        case "write" -> FailoverTest.writeKeys(stack, next[0], next[0] += a.n());
        case "advanceMs" -> stack.clock().advance(Duration.ofMillis(a.n()));
        case "shipDelayMs2", "shipDelayMs3" -> {
          List<Replica> rs = db.replicas();
          rs.get(a.type().endsWith("2") ? 0 : rs.size() - 1).shipDelay(Duration.ofMillis(a.n()));
        }
        case "applyDelayMs2" -> db.replicas().get(0).applyDelay(Duration.ofMillis(a.n()));
        default -> throw new AssertionError(a);
      }
    }
  }

  private void runAsync(List<Action> actions) throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2).shipDelay(Duration.ofMillis(30))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      int[] next = {0};
      for (Action a : actions) {
        switch (a.type()) {
          case "write" -> FailoverTest.writeKeys(stack, next[0], next[0] += a.n());
          case "advanceMs" -> stack.clock().advance(Duration.ofMillis(a.n()));
          case "shipDelayMs2" -> db.replica("db-2").shipDelay(Duration.ofMillis(a.n()));
          case "shipDelayMs3" -> db.replica("db-3").shipDelay(Duration.ofMillis(a.n()));
          case "applyDelayMs2" -> db.replica("db-2").applyDelay(Duration.ofMillis(a.n()));
          default -> throw new AssertionError(a);
        }
      }
      stack.node("db-1").kill();
      FailoverReport report = db.failover();
      Map<String, String> finalState = FailoverTest.kvOf(db, report.newPrimary());
      Set<String> lost = HistoryChecker.lostWrites(db.history().operations(), finalState).stream()
          .map(x -> x.operation().key()).collect(Collectors.toCollection(TreeSet::new));
      assertThat(report.lostKeys("kv")).as("%s after %s", report, actions).isEqualTo(lost);
      assertThat(report.lostAcknowledged().size()).isEqualTo(lost.size());
      // The survivors converge on the new primary.
      Replica survivor = db.replica(report.newPrimary().equals("db-2") ? "db-3" : "db-2");
      survivor.shipDelay(Duration.ZERO);
      survivor.applyDelay(Duration.ZERO);
      assertThat(db.isConverged()).as("%s", db.status()).isTrue();
    }
  }
}

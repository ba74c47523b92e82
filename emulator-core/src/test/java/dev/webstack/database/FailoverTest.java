package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import dev.webstack.inspection.StackEvent;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Killed primaries, failovers, what they lose, split brain and healing, with traffic through the app tier. */
class FailoverTest {

  /** Writes key-i = v-i through the application, recording the history, advancing the clock 10 ms each. */
  static void writeKeys(EmulatedStack stack, int from, int to) {
    OperationHistory history = stack.databaseCluster().history();
    for (int i = from; i < to; i++) {
      var op = history.invoke("writer", Operation.WRITE, "key-" + i, "v-" + i);
      HttpResponse<String> r = KvApp.put(stack, "key-" + i, "v-" + i);
      if (r.statusCode() == 200) {
        op.okOn(KvApp.servedBy(r));
      } else {
        op.fail();
      }
      if (stack.clock().isManual()) {
        stack.clock().advance(Duration.ofMillis(10));
      }
    }
  }

  static Map<String, String> kvOf(DatabaseCluster db, String node) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    for (List<Object> row : db.content(node).get("kv")) {
      out.put((String) row.get(0), (String) row.get(1));
    }
    return out;
  }

  @Test
  void asyncFailover_reportsEveryLostWrite_noMoreNoFewer() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.replica("db-2").shipDelay(Duration.ofMillis(55)); // the faster one: gets everything older than 55 ms
      db.replica("db-3").shipDelay(Duration.ofMillis(125));
      writeKeys(stack, 0, 30);
      stack.node("db-1").kill();
      FailoverReport report = db.failover();

      assertThat(report.newPrimary()).isEqualTo("db-2");
      Map<String, String> finalState = kvOf(db, "db-2");
      Set<String> lostByHistory = HistoryChecker.lostWrites(db.history().operations(), finalState).stream()
          .map(a -> a.operation().key()).collect(Collectors.toCollection(java.util.TreeSet::new));
      assertThat(lostByHistory).hasSize(5); // written in the last 50 ms: 10 ms apart, shipped after 55 ms
      assertThat(report.lostKeys("kv")).isEqualTo(lostByHistory);
      assertThat(report.lostAcknowledged().size()).isEqualTo(5);
      assertThat(stack.events()).extracting(StackEvent::type).contains("failover");

      // The application follows: writes go to db-2, reads to db-3, which replicates from db-2 now.
      HttpResponse<String> w = KvApp.put(stack, "after", "failover");
      assertThat(KvApp.servedBy(w)).isEqualTo("db-2");
      stack.clock().advance(Duration.ofMillis(125));
      HttpResponse<String> r = KvApp.get(stack, "after");
      assertThat(r.body()).isEqualTo("failover");
      assertThat(KvApp.servedBy(r)).isEqualTo("db-3");
      assertThat(db.status("db-3").source()).isEqualTo("db-2");
      assertThat(kvOf(db, "db-3")).isEqualTo(kvOf(db, "db-2"));
    }
  }

  static Set<String> lostByHistory(DatabaseCluster db, String primary) throws SQLException {
    return HistoryChecker.lostWrites(db.history().operations(), kvOf(db, primary)).stream()
        .map(a -> a.operation().key()).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  static Set<String> keys(List<RowRef> rows) {
    return rows.stream().filter(r -> r.table().equals("kv")).map(r -> (String) r.key().get(0))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  @Test
  void secondAsyncFailover_reportsTheFirstPrimarysWritesThatOnlyTheSecondHad() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 10);
      stack.clock().advance(Duration.ofSeconds(1)); // both replicas have key-0..9
      db.replica("db-2").shipDelay(Duration.ofMillis(55));
      db.replica("db-3").shipDelay(Duration.ofSeconds(1)); // receives nothing of what follows in time
      writeKeys(stack, 10, 30); // db-2 receives key-10..24, db-3 none of them
      stack.node("db-1").kill();
      FailoverReport first = db.failover();
      assertThat(first.newPrimary()).isEqualTo("db-2");
      assertThat(first.lostKeys("kv")).isEqualTo(lostByHistory(db, "db-2")).hasSize(5); // key-25..29

      writeKeys(stack, 30, 35); // acknowledged by db-2; db-3 (1 s behind) receives none of them
      stack.node("db-2").kill();
      FailoverReport second = db.failover();
      assertThat(second.oldPrimary()).isEqualTo("db-2");
      assertThat(second.newPrimary()).isEqualTo("db-3");

      Set<String> lost = lostByHistory(db, "db-3");
      assertThat(lost).hasSize(25); // key-10..34
      // The second report holds db-1's writes that db-2 had executed (key-10..24) and db-2's own (key-30..34);
      // key-25..29, lost in the first failover, are not counted again.
      Set<String> expectedSecond = new java.util.TreeSet<>(lost);
      expectedSecond.removeAll(first.lostKeys("kv"));
      assertThat(second.lostKeys("kv")).isEqualTo(expectedSecond).hasSize(20)
          .doesNotContainAnyElementsOf(first.lostKeys("kv"));
      assertThat(second.lostAcknowledged().size()).isEqualTo(20);
      assertThat(second.lostAcknowledged().uuids()).containsExactlyInAnyOrder(
          ((H2Database) stack.databaseCluster().nodes().get(0)).serverUuid(),
          ((H2Database) stack.databaseCluster().nodes().get(1)).serverUuid());
      assertThat(first.lostAcknowledged().union(second.lostAcknowledged())).isEqualTo(db.lostAcknowledged());
      assertThat(keys(db.lostRows())).isEqualTo(lost);
      assertThat(db.failovers()).containsExactly(first, second);
    }
  }

  @Test
  void cumulativeLostView_isEmptyWithoutFailover_andFollowsEachFailover() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2).shipDelay(Duration.ofMillis(25))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 6);
      assertThat(db.lostAcknowledged().isEmpty()).isTrue(); // the primary has all it acknowledged
      stack.node("db-1").kill();
      FailoverReport first = db.failover();
      assertThat(db.lostAcknowledged()).isEqualTo(first.lostAcknowledged());
      assertThat(keys(db.lostRows())).isEqualTo(lostByHistory(db, first.newPrimary())).hasSize(2);
      writeKeys(stack, 6, 9);
      stack.clock().advance(Duration.ofSeconds(1)); // the survivor received everything: nothing more to lose
      stack.node(first.newPrimary()).kill();
      FailoverReport second = db.failover();
      assertThat(second.lostAcknowledged().isEmpty()).isTrue();
      assertThat(db.lostAcknowledged()).isEqualTo(first.lostAcknowledged());
      assertThat(keys(db.lostRows())).isEqualTo(lostByHistory(db, second.newPrimary()));
    }
  }

  @Test
  void cumulativeLostRows_keepTheRowsOfLostWrites_afterTheNodeThatHeldThemIsRebuilt() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2).shipDelay(Duration.ofMillis(25))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 6);
      stack.node("db-1").kill();
      FailoverReport first = db.failover();
      assertThat(first.lostKeys("kv")).hasSize(2);
      stack.node("db-1").restart();
      db.rebuild("db-1"); // a clone of the new primary: the old primary's binary log, with the lost rows, is gone
      assertThat(db.lostAcknowledged()).isEqualTo(first.lostAcknowledged());
      assertThat(keys(db.lostRows())).isEqualTo(first.lostKeys("kv")).isEqualTo(lostByHistory(db, first.newPrimary()));
    }
  }

  @Test
  void lostRows_keepTheRowsOfAWriteLostOnlyAfterRebuildsEmptiedEveryLogThatHeldIt() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.partition("db-1", "db-3"); // db-3 never receives key-0..2, from either source
      db.partition("db-2", "db-3");
      writeKeys(stack, 0, 3);
      stack.clock().advance(Duration.ofSeconds(1));
      stack.node("db-1").kill();
      assertThat(db.failover().lostAcknowledged().isEmpty()).isTrue(); // db-2 has them
      stack.node("db-1").restart();
      db.rebuild("db-1"); // a clone: holds key-0..2, logs none of them
      stack.node("db-2").kill();
      assertThat(db.failover().newPrimary()).isEqualTo("db-1");
      stack.node("db-2").restart();
      db.rebuild("db-2"); // empties the last log that held key-0..2
      stack.node("db-2").kill();
      stack.node("db-1").kill();

      FailoverReport lost = db.failover(); // to db-3, which never had them
      assertThat(lost.newPrimary()).isEqualTo("db-3");
      assertThat(lost.lostAcknowledged().size()).isEqualTo(3);
      assertThat(lost.lostKeys("kv")).isEqualTo(lostByHistory(db, "db-3")).hasSize(3);
      assertThat(keys(db.lostRows())).isEqualTo(lost.lostKeys("kv"));
    }
  }

  @Test
  void aReplicaWhoseSourceNoLongerLogsWhatItLacks_stopsItsReceiverWith1236_insteadOfSkippingIt() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 3);
      stack.node("db-3").kill(); // keeps key-0..2 and misses what follows
      writeKeys(stack, 3, 6);
      stack.node("db-1").kill();
      db.failover(); // db-2, which has everything
      stack.node("db-1").restart();
      db.rebuild("db-1"); // a clone: its binary log is empty, what it holds is gtid_purged
      stack.node("db-2").kill();
      assertThat(db.failover().newPrimary()).isEqualTo("db-1");
      stack.node("db-3").restart(); // needs key-3..5, which no running node logs any more
      writeKeys(stack, 6, 7);
      stack.clock().advance(Duration.ofSeconds(1));

      ReplicationStatus st = db.status("db-3");
      assertThat(st.receiverState()).isEqualTo("No");
      assertThat(st.lastErrno()).isEqualTo(13114);
      assertThat(st.lastError()).contains("1236").contains("purged required binary logs");
      assertThat(kvOf(db, "db-3")).doesNotContainKey("key-6"); // nothing applied past the gap
      assertThat(db.isConverged()).isFalse();
      db.rebuild("db-3"); // the remedy MySQL's message names: provision it anew
      assertThat(kvOf(db, "db-3")).isEqualTo(kvOf(db, "db-1"));
      assertThat(db.isConverged()).isTrue();
    }
  }

  @Test
  void aDetachedOldPrimaryRejoiningAfterThePurgeOfWhatItLacks_stopsItsReceiverWith1236() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 2);
      stack.node("db-1").kill();
      db.failover(); // db-1 is detached: the new primary purges what every other node executed
      try (Connection c = ((DatabaseNode) db.primary()).dataSource().getConnection();
          Statement s = c.createStatement()) {
        for (int i = 0; i < ReplicationCluster.PURGE_AT + 10; i++) {
          s.executeUpdate("INSERT INTO kv(k, v) VALUES ('bulk-" + i + "', 'x')");
        }
      }
      stack.clock().advance(Duration.ofSeconds(1));
      stack.node("db-1").restart();
      db.rejoin("db-1");
      stack.clock().advance(Duration.ofSeconds(1));

      ReplicationStatus st = db.status("db-1");
      assertThat(st.lastErrno()).as("%s", st).isEqualTo(13114);
      assertThat(st.receiverState()).isEqualTo("No");
    }
  }

  @Test
  void aCommitInterruptedByTheKill_isNotServedLaterFromTheLogOfANodeThatNeverCommittedIt() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2).semiSync(Duration.ofSeconds(1))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 2);
      db.replica("db-2").stopReceiver();
      db.replica("db-3").stopReceiver(); // the next commit waits for an acknowledgement that cannot come
      long logged = ((H2Database) stack.node("db-1")).binlogEnd();
      java.util.concurrent.CompletableFuture<Integer> commit = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try (Connection c = ((DatabaseNode) db.primary()).dataSource().getConnection();
            Statement s = c.createStatement()) {
          return s.executeUpdate("INSERT INTO kv(k, v) VALUES ('interrupted', 'x')");
        } catch (SQLException e) {
          return -1;
        }
      });
      H2Database primary = (H2Database) stack.node("db-1");
      stack.await("the commit is logged and waits", Duration.ofSeconds(5), () -> primary.binlogEnd() > logged);
      stack.node("db-1").kill(); // the commit fails with 08S01: never acknowledged, never committed on db-1
      assertThat(commit.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(-1);
      db.replica("db-2").startReceiver();
      db.replica("db-3").startReceiver();
      db.failover(); // db-2: has no trace of it
      stack.node("db-1").restart();
      assertThat(db.rejoin("db-1").isEmpty()).isTrue();
      stack.clock().advance(Duration.ofSeconds(1));
      stack.node("db-2").kill();
      stack.node("db-3").kill();
      assertThat(db.failover().newPrimary()).isEqualTo("db-1"); // the only running replica
      stack.node("db-3").restart(); // replicates from db-1 now
      stack.clock().advance(Duration.ofSeconds(1));

      assertThat(kvOf(db, "db-1")).doesNotContainKey("interrupted");
      assertThat(db.isConverged()).isTrue();
      assertThat(kvOf(db, "db-3")).isEqualTo(kvOf(db, "db-1"));
    }
  }

  @Test
  void aBatchCutShortByAKill_failsWith08S01_notWithH2sClosedObjectError() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = ((DatabaseNode) stack.node("db-1")).dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE slow(id INT PRIMARY KEY)");
      s.execute("CREATE TRIGGER slow_in BEFORE INSERT ON slow FOR EACH ROW CALL '" + BlockingTrigger.class.getName()
          + "'");
      java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO slow VALUES (?)");
      BlockingTrigger.entered = new java.util.concurrent.CountDownLatch(1);
      BlockingTrigger.release = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CompletableFuture<SQLException> insert = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> {
            try {
              ps.setInt(1, 1);
              ps.addBatch();
              ps.executeBatch();
              return null;
            } catch (SQLException e) {
              return e;
            }
          });
      assertThat(BlockingTrigger.entered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // The kill closes H2's connection under the running statement; the trigger gives up waiting after 1 s.
      stack.node("db-1").kill();
      BlockingTrigger.release.countDown();
      SQLException e = insert.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat((Object) e).isNotNull();
      assertThat(e.getSQLState()).as("%s", e).isEqualTo("08S01");
    }
  }

  @Test
  void aBatchOnAConnectionWhoseNodeWasKilled_failsWith08S01() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = ((DatabaseNode) stack.node("db-1")).dataSource().getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, 'x')")) {
      ps.setString(1, "a");
      ps.addBatch();
      stack.node("db-1").kill();
      assertThatThrownBy(ps::executeBatch).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).as("%s", e).isEqualTo("08S01"));
    }
  }

  @Test
  void asyncApplyLagAlone_losesNothing_becauseTheRelayLogIsDrained() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).applyDelay(Duration.ofSeconds(5))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 20);
      assertThat(db.status("db-2").relayLogTransactions()).isEqualTo(20);
      stack.node("db-1").kill();
      FailoverReport report = db.failover();
      assertThat(report.lostAcknowledged().isEmpty()).isTrue();
      assertThat(HistoryChecker.lostWrites(db.history().operations(), kvOf(db, "db-2"))).isEmpty();
      assertThat(kvOf(db, "db-2")).hasSize(21);
    }
  }

  @Test
  void semiSync_killedPrimaryAndFailover_loseNoAcknowledgedWrite() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2).semiSync(Duration.ofSeconds(10))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.replica("db-3").stopReceiver(); // one replica behind: the other must be the one promoted
      writeKeys(stack, 0, 15);
      stack.node("db-1").kill();
      FailoverReport report = db.failover();
      assertThat(report.newPrimary()).isEqualTo("db-2");
      assertThat(report.lostAcknowledged().isEmpty()).isTrue();
      assertThat(HistoryChecker.lostWrites(db.history().operations(), kvOf(db, "db-2"))).isEmpty();
      assertThat(db.semiSyncFallbacks()).isEmpty();
      db.replica("db-3").startReceiver();
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-3")).isEqualTo(db.content("db-2"));
    }
  }

  @Test
  void semiSync_fallsBackAfterTheTimeout_andReturnsWhenAReplicaCatchesUp() throws Exception {
    // Real clock: the commit really waits for the timeout.
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).semiSync(Duration.ofMillis(150))).toBuilder()
        .realClock().build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      assertThat(db.semiSyncActive()).isTrue();
      db.replica("db-2").stopReceiver();
      long start = System.nanoTime();
      assertThat(KvApp.put(stack, "a", "1").statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
      assertThat(db.semiSyncActive()).isFalse();
      assertThat(db.semiSyncFallbacks()).hasSize(1).first().satisfies(f -> assertThat(f.isOpen()).isTrue());
      long quick = System.nanoTime();
      assertThat(KvApp.put(stack, "b", "2").statusCode()).isEqualTo(200); // async now: no wait
      assertThat(Duration.ofNanos(System.nanoTime() - quick)).isLessThan(Duration.ofMillis(150));

      db.replica("db-2").startReceiver();
      stack.await("semi-sync resumed", Duration.ofSeconds(10), db::semiSyncActive);
      assertThat(db.semiSyncFallbacks()).hasSize(1).first().satisfies(f -> assertThat(f.isOpen()).isFalse());
      assertThat(stack.events()).extracting(StackEvent::type).contains("semi-sync-fallback", "semi-sync-on");
      stack.await("replica converged", Duration.ofSeconds(10), db::isConverged);
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
    }
  }

  @Test
  void automaticFailover_promotesAfterTheDetectionDelay() {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2).automaticFailover(Duration.ofSeconds(5))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 3);
      stack.node("db-1").kill();
      assertThat(KvApp.put(stack, "during", "outage").headers().firstValue("X-Sql-State")).hasValue("08S01");
      stack.clock().advance(Duration.ofSeconds(4));
      assertThat(db.primary().name()).isEqualTo("db-1");
      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(db.primary().name()).isIn("db-2", "db-3");
      assertThat(db.failovers()).hasSize(1).first()
          .satisfies(f -> assertThat(f.reason()).contains("unreachable for PT5S"));
      HttpResponse<String> w = KvApp.put(stack, "after", "x");
      assertThat(w.statusCode()).isEqualTo(200);
      assertThat(KvApp.servedBy(w)).isEqualTo(db.primary().name());

      // The old primary comes back read-only and detached; rejoining makes it a replica of the new primary.
      stack.node("db-1").restart();
      assertThat(db.status("db-1").role()).isEqualTo(DatabaseRole.DETACHED);
      assertThat(db.status("db-1").superReadOnly()).isTrue();
      assertThat(db.rejoin("db-1").isEmpty()).isTrue();
      assertThat(db.isConverged()).isTrue();
    }
  }

  @Test
  void splitBrain_withFencingOff_isReproducedAndDetected() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).fencing(false)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 2);
      // The failover tool loses sight of db-1 (a partition), which keeps running: no fencing, so it stays writable.
      db.partition("db-1", "db-2");
      FailoverReport report = db.failover();
      assertThat(report.fenced()).isFalse();
      Set<String> writers = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        writers.add(KvApp.servedBy(KvApp.put(stack, "contested", "w" + i)));
      }
      assertThat(writers).containsExactlyInAnyOrder("db-1", "db-2"); // the router sees two writable nodes
      SplitBrainReport split = db.splitBrain().orElseThrow();
      assertThat(split.writers()).containsExactlyInAnyOrder("db-1", "db-2");
      assertThat(split.diverged()).isTrue();
      assertThat(split.divergent().get("db-1").isEmpty()).isFalse();
      assertThat(stack.events()).extracting(StackEvent::type).contains("unfenced", "split-brain");
      assertThat(kvOf(db, "db-1").get("contested")).isNotEqualTo(kvOf(db, "db-2").get("contested"));
    }
  }

  @Test
  void splitBrain_staysReported_afterTheOldPrimaryIsRebuilt_andItsSplitWritesCountAsLost() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).fencing(false)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 2);
      db.partition("db-1", "db-2");
      db.failover();
      Set<String> writers = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        writers.add(KvApp.servedBy(KvApp.put(stack, "contested", "w" + i)));
      }
      assertThat(writers).containsExactlyInAnyOrder("db-1", "db-2");
      GtidSet oldSide = db.splitBrain().orElseThrow().divergent().get("db-1");
      GtidSet newSide = db.splitBrain().orElseThrow().divergent().get("db-2");

      db.heal("db-1", "db-2");
      db.rebuild("db-1");
      stack.await("db-1 caught up", Duration.ofSeconds(10), db::isConverged);

      assertThat(db.content("db-1")).isEqualTo(db.content("db-2"));
      SplitBrainReport split = db.splitBrain().orElseThrow();
      assertThat(split.diverged()).isTrue();
      assertThat(split.divergent().get("db-1").containsAll(oldSide)).isTrue();
      assertThat(split.divergent().get("db-2").containsAll(newSide)).isTrue();
      // What clients wrote to the old primary during the split is gone from every node: lost, rows and all.
      assertThat(db.lostAcknowledged().containsAll(oldSide)).isTrue();
      assertThat(db.lostRows()).extracting(RowRef::gtid).isNotEmpty();
    }
  }

  @Test
  void withFencing_theSameScenarioHasOneWriter() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 2);
      db.partition("db-1", "db-2");
      assertThat(db.failover().fenced()).isTrue();
      for (int i = 0; i < 4; i++) {
        assertThat(KvApp.servedBy(KvApp.put(stack, "contested", "w" + i))).isEqualTo("db-2");
      }
      assertThat(db.splitBrain()).isEmpty();
      assertThat(db.status("db-1").superReadOnly()).isTrue();
    }
  }

  @Test
  void replicasConverge_rowByRow_afterFaultsHeal() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).toBuilder().realClock().build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.partition("db-1", "db-2");
      db.replica("db-3").stopApplier();
      writeKeys(stack, 0, 10);
      stack.node("db-3").kill();
      writeKeys(stack, 10, 20);
      assertThat(db.status("db-2").connected()).isFalse();
      assertThat(db.status("db-2").secondsBehindSource()).isEmpty();
      assertThat(db.isConverged()).isFalse();
      stack.node("db-3").restart();
      db.replica("db-3").startApplier();
      db.heal("db-1", "db-2");
      stack.await("replicas converged", Duration.ofSeconds(20), db::isConverged);
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.content("db-3")).isEqualTo(db.content("db-1"));
      assertThat(kvOf(db, "db-3")).hasSize(21);
      assertThat(stack.events()).extracting(StackEvent::type).contains("partition", "heal");
    }
  }

  @Test
  void afterALossyFailover_aRebuiltOldPrimaryConverges_whileRejoinReportsItsErrantTransactions() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).shipDelay(Duration.ofSeconds(1))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      writeKeys(stack, 0, 5);
      stack.node("db-1").kill();
      FailoverReport report = db.failover();
      assertThat(report.lostAcknowledged().size()).isEqualTo(5);
      stack.node("db-1").restart();
      GtidSet errant = db.rejoin("db-1");
      assertThat(errant).isEqualTo(report.lostAcknowledged());
      db.rebuild("db-1");
      writeKeys(stack, 5, 8);
      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-1")).isEqualTo(db.content("db-2"));
      assertThat(db.status("db-1").role()).isEqualTo(DatabaseRole.REPLICA);
    }
  }
}

package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replication through the application tier: routing, row-based capture, read-only replicas, DDL, rollbacks. */
class ReplicationTest {

  @Test
  void topology_replicasAreNodesOnTheirOwnHosts() {
    StackSpec spec = Stacks.kv(db -> db.replicas(2));
    assertThat(spec.components()).extracting(c -> c.name()).contains("db-1", "db-2", "db-3");
    assertThat(spec.hosts()).extracting(h -> h.name()).contains("db-1", "db-2", "db-3");
    try (EmulatedStack stack = spec.start()) {
      assertThat(stack.node("db-2").host().name()).isEqualTo("db-2");
      assertThat(stack.databaseCluster().primary().name()).isEqualTo("db-1");
      assertThat(stack.databaseCluster().replicas()).extracting(Replica::name).containsExactly("db-2", "db-3");
      assertThat(stack.describe()).contains("db-3");
    }
  }

  @Test
  void reads_areServedByAReplica_writesByThePrimary() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      HttpResponse<String> put = KvApp.put(stack, "a", "1");
      assertThat(put.statusCode()).isEqualTo(200);
      assertThat(KvApp.servedBy(put)).isEqualTo("db-1");

      HttpResponse<String> first = KvApp.get(stack, "a");
      HttpResponse<String> second = KvApp.get(stack, "a");
      assertThat(first.body()).isEqualTo("1");
      assertThat(second.body()).isEqualTo("1");
      assertThat(List.of(KvApp.servedBy(first), KvApp.servedBy(second))).containsExactlyInAnyOrder("db-2", "db-3");

      HttpResponse<String> locked = KvApp.send(stack, "GET", "/api/kv-locked/a", "");
      assertThat(locked.body()).isEqualTo("1");
      assertThat(KvApp.servedBy(locked)).isEqualTo("db-1");
      HttpResponse<String> tx = KvApp.send(stack, "POST", "/api/kv-tx/b", "2");
      assertThat(tx.body()).isEqualTo("committed");
      assertThat(KvApp.servedBy(tx)).isEqualTo("db-1");

      DatabaseCluster db = stack.databaseCluster();
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.content("db-3")).isEqualTo(db.content("db-1"));
      assertThat(db.status("db-2").executed()).isEqualTo(db.status("db-1").executed());
      assertThat(db.status("db-1").executed().size()).isEqualTo(2); // one autocommit write, one transaction
    }
  }

  @Test
  void rowImages_carryGeneratedIdsDefaultsAndRandomValues() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        for (int i = 0; i < 5; i++) {
          s.executeUpdate("INSERT INTO events(note, score) VALUES ('n" + i + "', RAND())");
        }
        s.executeUpdate("INSERT INTO events(note) VALUES ('default score')");
        s.executeUpdate("UPDATE events SET score = score * RAND() WHERE id % 2 = 0");
        s.executeUpdate("DELETE FROM events WHERE id = 3");
        s.executeUpdate("UPDATE kv SET k = 'moved' WHERE k = 'seed'"); // a primary-key change
      }
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.content("db-1").get("events")).hasSize(5);
      assertThat(db.content("db-2").get("kv")).extracting(row -> row.get(0)).containsExactly("moved");
    }
  }

  @Test
  void replicasIdentityCounter_endsPastTheHighestAppliedId_soAPromotedReplicaContinuesTheSequence()
      throws Exception {
    // One batch on the replica (the apply delay gathers them): explicit ids out of order, then generated ones.
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).applyDelay(Duration.ofSeconds(1))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO events(id, note) VALUES (500, 'explicit high')");
        s.executeUpdate("INSERT INTO events(id, note) VALUES (300, 'explicit lower')");
        for (int i = 0; i < 21; i++) {
          s.executeUpdate("INSERT INTO events(note) VALUES ('generated " + i + "')"); // 501..521
        }
      }
      stack.clock().advance(Duration.ofSeconds(2));
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));

      stack.node("db-1").kill();
      assertThat(db.failover().lostAcknowledged().isEmpty()).isTrue();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO events(note) VALUES ('on the promoted replica')");
        try (ResultSet rs = s.executeQuery("SELECT id FROM events WHERE note = 'on the promoted replica'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(522); // as on the old primary: next after its highest id
        }
      }
    }
  }

  @Test
  void writeOnAReplica_failsWithMysqlError1290_andARestartedNodeStaysReadOnly() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      for (int round = 0; round < 2; round++) {
        try (Connection c = ((DatabaseNode) stack.node("db-2")).dataSource().getConnection();
            Statement s = c.createStatement()) {
          assertThatThrownBy(() -> s.executeUpdate("INSERT INTO kv(k, v) VALUES ('x', 'y')"))
              .isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1290);
                assertThat(e.getSQLState()).isEqualTo("HY000");
                assertThat(e.getMessage()).isEqualTo("The MySQL server is running with the --super-read-only"
                    + " option so it cannot execute this statement");
              });
          assertThatThrownBy(() -> s.execute("CREATE TABLE t(x INT)"))
              .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
          try (ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = 'seed'")) {
            assertThat(rs.next()).isTrue();
          }
        }
        stack.node("db-2").restart();
      }
      assertThat(stack.databaseCluster().status("db-2").superReadOnly()).isTrue();
    }
  }

  @Test
  void aWriteThroughTheApplicationOnAReadOnlyConnection_reachesAReplica_andFailsWith1290() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      HttpResponse<String> r = KvApp.send(stack, "PUT", "/api/kv-readonly/x", "y");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(KvApp.servedBy(r)).isEqualTo("db-2");
      assertThat(r.headers().firstValue("X-Sql-Code")).hasValue("1290");
      assertThat(r.headers().firstValue("X-Sql-State")).hasValue("HY000");
      assertThat(r.body()).isEqualTo("The MySQL server is running with the --super-read-only option so it cannot"
          + " execute this statement");
      assertThat(stack.databaseCluster().content("db-1").get("kv")).extracting(row -> row.get(0))
          .containsExactly("seed");
    }
  }

  @Test
  void aRestartedPrimaryComesBackReadOnly_untilMadeWritable() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      stack.node("db-1").restart();
      HttpResponse<String> refused = KvApp.put(stack, "a", "1");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("X-Sql-Code")).hasValue("1290");

      stack.databaseCluster().setReadOnly("db-1", false);
      assertThat(KvApp.put(stack, "a", "1").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void ddlRollbacksAndFailedStatements_replicateExactly() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      assertThat(KvApp.send(stack, "POST", "/api/kv-tx/rolled", "fail").body()).isEqualTo("rolled back");
      assertThat(KvApp.send(stack, "POST", "/api/kv-tx/kept", "yes").body()).isEqualTo("committed");
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("ALTER TABLE kv ADD COLUMN version INT DEFAULT 7");
        s.executeUpdate("INSERT INTO kv(k, v, version) VALUES ('after-alter', 'x', 8)");
        s.execute("CREATE TABLE audit (id INT PRIMARY KEY, what VARCHAR(20))");
        s.executeUpdate("INSERT INTO audit VALUES (1, 'one'), (2, 'two')");
        // A failed multi-row statement in a transaction leaves nothing behind, the rest of the transaction stays.
        c.setAutoCommit(false);
        s.executeUpdate("INSERT INTO audit VALUES (3, 'three')");
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO audit VALUES (4, 'four'), (1, 'duplicate')"))
            .isInstanceOf(SQLException.class);
        var sp = c.setSavepoint();
        s.executeUpdate("INSERT INTO audit VALUES (5, 'five')");
        c.rollback(sp);
        c.commit();
        c.setAutoCommit(true);
        s.execute("BEGIN");
        s.executeUpdate("INSERT INTO audit VALUES (6, 'six')");
        s.execute("ROLLBACK");
        s.execute("TRUNCATE TABLE events");
      }
      assertThat(db.content("db-1").get("audit")).extracting(r -> r.get(0)).containsExactly(1, 2, 3);
      assertThat(db.content("db-1").get("kv")).extracting(r -> r.get(0))
          .contains("kept", "after-alter").doesNotContain("rolled");
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.content("db-2").get("events")).isEmpty();
    }
  }

  @Test
  void staleRead_underInjectedLag_isDetected() {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).applyDelay(Duration.ofSeconds(1))).start()) {
      OperationHistory history = stack.databaseCluster().history();
      var w = history.invoke("alice", Operation.WRITE, "a", "1");
      assertThat(KvApp.put(stack, "a", "1").statusCode()).isEqualTo(200);
      w.ok();
      var r = history.invoke("alice", Operation.READ, "a", null);
      HttpResponse<String> read = KvApp.get(stack, "a");
      r.ok(read.statusCode() == 404 ? null : read.body(), KvApp.servedBy(read));

      assertThat(read.statusCode()).isEqualTo(404);
      assertThat(KvApp.servedBy(read)).isEqualTo("db-2");
      assertThat(HistoryChecker.staleReads(history.operations())).hasSize(1);
      assertThat(HistoryChecker.readYourWrites(history.operations())).hasSize(1)
          .first().satisfies(a -> assertThat(a.detail()).contains("alice read a=null on db-2"));
      ReplicationStatus lagging = stack.databaseCluster().status("db-2");
      assertThat(lagging.relayLogTransactions()).isEqualTo(1);
      assertThat(lagging.secondsBehindSource()).hasValue(0);

      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(KvApp.get(stack, "a").body()).isEqualTo("1");
      assertThat(stack.databaseCluster().isConverged()).isTrue();
    }
  }

  @Test
  void causalReads_removeTheStaleRead() {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).applyDelay(Duration.ofSeconds(1))
        .causalReads(Duration.ofSeconds(1))).start()) {
      OperationHistory history = stack.databaseCluster().history();
      HttpResponse<String> before = KvApp.get(stack, "seed");
      assertThat(KvApp.servedBy(before)).isEqualTo("db-2"); // nothing written yet: the replica will do
      for (int i = 0; i < 3; i++) {
        var w = history.invoke("alice", Operation.WRITE, "a", "v" + i);
        assertThat(KvApp.put(stack, "a", "v" + i).statusCode()).isEqualTo(200);
        w.ok();
        var r = history.invoke("alice", Operation.READ, "a", null);
        HttpResponse<String> read = KvApp.get(stack, "a");
        r.ok(read.statusCode() == 404 ? null : read.body(), KvApp.servedBy(read));
        assertThat(read.body()).isEqualTo("v" + i);
        assertThat(KvApp.servedBy(read)).isEqualTo("db-1"); // the replica lags: wait_for_my_writes falls back
      }
      stack.clock().advance(Duration.ofSeconds(1));
      HttpResponse<String> caughtUp = KvApp.get(stack, "a");
      assertThat(caughtUp.body()).isEqualTo("v2");
      assertThat(KvApp.servedBy(caughtUp)).isEqualTo("db-2");
      assertThat(HistoryChecker.readYourWrites(history.operations())).isEmpty();
      assertThat(HistoryChecker.staleReads(history.operations())).isEmpty();
    }
  }

  @Test
  void secondsBehindSource_isNullWhileAThreadIsStopped_andLagIsMeasured() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      Replica replica = db.replica("db-2");
      replica.stopApplier();
      assertThat(KvApp.put(stack, "a", "1").statusCode()).isEqualTo(200);
      stack.clock().advance(Duration.ofSeconds(3));
      ReplicationStatus s = replica.status();
      assertThat(s.secondsBehindSource()).isEmpty();
      assertThat(s.applierRunning()).isFalse();
      assertThat(s.applyLag()).isEqualTo(Duration.ofSeconds(3));
      assertThat(s.receiveLag()).isZero();
      assertThat(s.relayLogTransactions()).isEqualTo(1);

      replica.startApplier();
      replica.stopReceiver();
      assertThat(KvApp.put(stack, "b", "2").statusCode()).isEqualTo(200);
      stack.clock().advance(Duration.ofSeconds(2));
      s = replica.status();
      assertThat(s.receiverState()).isEqualTo("No");
      assertThat(s.secondsBehindSource()).isEmpty();
      assertThat(s.receiveLag()).isEqualTo(Duration.ofSeconds(2));
      replica.startReceiver();
      assertThat(replica.status().secondsBehindSource()).hasValue(0);
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(stack.events()).extracting(e -> e.type()).contains("replica-stopped", "replica-started");
    }
  }
}

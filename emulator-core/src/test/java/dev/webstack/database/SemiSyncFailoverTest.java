package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Semi-sync's promise across failovers, one failure at a time. */
class SemiSyncFailoverTest {

  static void write(DatabaseCluster db, String k, String v) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("MERGE INTO kv(k, v) KEY (k) VALUES ('" + k + "', '" + v + "')");
    }
  }

  /** A write that falls back to async: no replica receives it before the timeout (advanced from here). */
  static void writeInFallback(EmulatedStack stack, DatabaseCluster db, String k) throws Exception {
    CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
      try {
        write(db, k, "x");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    stack.await("the write falls back", Duration.ofSeconds(10), () -> {
      if (!w.isDone()) {
        stack.clock().advance(Duration.ofMillis(600));
      }
      return w.isDone();
    });
    w.get(1, TimeUnit.SECONDS);
  }

  @Test
  void failover_endsTheOldPrimarysOpenFallbackWindow_asItTurnsSemiSyncBackOn() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(2).semiSync(Duration.ofMillis(500))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.replica("db-2").stopReceiver();
      db.replica("db-3").stopReceiver();
      writeInFallback(stack, db, "w");
      assertThat(db.semiSyncFallbacks()).hasSize(1).first().satisfies(f -> assertThat(f.isOpen()).isTrue());
      stack.node("db-1").kill();

      FailoverReport report = db.failover();

      assertThat(db.semiSyncActive()).isTrue();
      assertThat(db.semiSyncFallbacks()).hasSize(1).first().satisfies(f -> {
        assertThat(f.isOpen()).isFalse();
        assertThat(f.to()).isEqualTo(report.at());
      });
    }
  }

  @Test
  void failover_promotesTheReplicaHoldingTheLastAcknowledgedWrite_notOneWithMoreOlderErrantTransactions()
      throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(2).semiSync(Duration.ofMillis(500))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      write(db, "a", "1");
      db.replica("db-2").stopReceiver();
      db.replica("db-3").stopReceiver();
      writeInFallback(stack, db, "w"); // unprotected: db-1 alone has it
      stack.node("db-1").kill(); // w is lost, and was never promised
      FailoverReport first = db.failover();
      assertThat(first.newPrimary()).isEqualTo("db-2");
      db.replica("db-3").startReceiver();
      stack.node("db-1").restart();
      GtidSet errant = db.rejoin("db-1");
      assertThat(errant.size()).isEqualTo(1); // w
      assertThat(db.semiSyncActive()).isTrue();
      db.replica("db-1").shipDelay(Duration.ofSeconds(5)); // a slow link: db-3 acknowledges first
      int fallbacks = db.semiSyncFallbacks().size();
      write(db, "t", "protected");
      assertThat(db.semiSyncFallbacks()).hasSize(fallbacks);
      assertThat(db.semiSyncActive()).isTrue();

      stack.node("db-2").kill(); // one failure: db-3 holds t
      FailoverReport second = db.failover();

      assertThat(second.lostAcknowledged().isEmpty())
          .as("errant on db-1: %s; report %s", errant, second).isTrue();
      assertThat(second.newPrimary()).isEqualTo("db-3");
    }
  }
}

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

/** Closing a stack whose commits wait for a semi-sync acknowledgement (manual clock: the timeout never comes). */
class CloseWhileWaitingTest {

  @Test
  void closingTheStack_whileCommitsWaitForASemiSyncAck_failsThemWith08S01AndLeavesNoThread() throws Exception {
    EmulatedStack stack = Stacks.kv(d -> d.replicas(2).semiSync(Duration.ofSeconds(10))
        .automaticFailover(Duration.ofMillis(1))).start();
    DatabaseCluster db = stack.databaseCluster();
    db.replica("db-2").stopReceiver();
    db.replica("db-3").stopReceiver();
    long logged = ((H2Database) stack.node("db-1")).binlogEnd();
    CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('a', '1')");
        return "ok";
      } catch (SQLException e) {
        return e.getSQLState();
      }
    });
    stack.await("the commit waits", Duration.ofSeconds(10),
        () -> ((H2Database) stack.node("db-1")).binlogEnd() > logged);
    long start = System.nanoTime();
    stack.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("08S01");
    assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.contains(stack.name()))).isEmpty();
  }
}

package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A partition cuts the link between two nodes, whoever replicates from whom across a failover. */
class PartitionAcrossFailoverTest {

  static void write(DatabaseCluster db, String k) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("MERGE INTO kv(k, v) KEY (k) VALUES ('" + k + "', 'v')");
    }
  }

  @Test
  void aReplicaCutOffFromTheOldPrimary_replicatesFromTheNewOneOverItsIntactLink() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.partition("db-1", "db-3");
      write(db, "k1"); // db-2 only
      stack.node("db-1").kill();
      assertThat(db.failover().newPrimary()).isEqualTo("db-2");
      write(db, "k2");
      stack.clock().advance(Duration.ofSeconds(1));

      assertThat(db.status("db-3").connected()).isTrue();
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-3")).isEqualTo(db.content("db-2"));
    }
  }

  @Test
  void aPartitionBetweenTwoReplicas_cutsTheLinkOnceOneIsPromoted_untilHealed() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.partition("db-2", "db-3");
      write(db, "k1"); // both replicas: their links to db-1 are intact
      stack.node("db-1").kill();
      assertThat(db.failover().newPrimary()).isEqualTo("db-2");
      write(db, "k2");
      stack.clock().advance(Duration.ofSeconds(1));

      assertThat(db.status("db-3").connected()).isFalse();
      assertThat(FailoverTest.kvOf(db, "db-3")).containsOnlyKeys("seed", "k1");
      db.heal("db-2", "db-3");
      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(db.isConverged()).isTrue();
      assertThat(db.content("db-3")).isEqualTo(db.content("db-2"));
    }
  }

  @Test
  void aRejoinedOldPrimary_staysCutOffFromTheNewPrimaryWhileTheirLinkIsPartitioned() throws Exception {
    try (EmulatedStack stack = Stacks.kv(d -> d.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      write(db, "k1");
      db.partition("db-1", "db-2");
      stack.node("db-1").kill();
      db.failover();
      write(db, "k2");
      stack.node("db-1").restart();
      db.rejoin("db-1");
      stack.clock().advance(Duration.ofSeconds(1));

      assertThat(db.status("db-1").connected()).isFalse();
      assertThat(FailoverTest.kvOf(db, "db-1")).containsOnlyKeys("seed", "k1");
      db.heal("db-1", "db-2");
      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(db.content("db-1")).isEqualTo(db.content("db-2"));
    }
  }
}

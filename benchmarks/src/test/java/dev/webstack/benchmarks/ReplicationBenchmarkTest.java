package dev.webstack.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The replication benchmark's variants do the work their names say, so that their figures mean something. */
class ReplicationBenchmarkTest {

  @Test
  void replicatedVariant_insertsThroughThePrimary_andTheReplicaAppliesEveryRow() throws Exception {
    ReplicationBenchmark.Replicated db = new ReplicationBenchmark.Replicated();
    db.spec();
    db.open();
    try {
      new ReplicationBenchmark().primaryWithOneReplicaCaughtUp(db);

      assertThat(rows(db.stack, "db-1")).isEqualTo(ReplicationBenchmark.ROWS);
      assertThat(rows(db.stack, "db-2")).isEqualTo(ReplicationBenchmark.ROWS);
      assertThat(db.stack.databaseCluster().status("db-2").executed())
          .isEqualTo(db.stack.databaseCluster().status("db-1").executed());
    } finally {
      db.close();
    }
  }

  @Test
  void explicitCommitVariant_commitsEveryInsert_andGivesTheConnectionBackInAutocommit() throws Exception {
    ReplicationBenchmark.Bare bare = new ReplicationBenchmark.Bare();
    bare.open();
    try {
      Connection c = bare.connection;

      ReplicationBenchmark.insertRowsCommittingEach(c);

      assertThat(c.getAutoCommit()).isTrue();
      c.setAutoCommit(false);
      c.rollback(); // nothing left uncommitted to undo
      c.setAutoCommit(true);
      assertThat(count(c)).isEqualTo(ReplicationBenchmark.ROWS);
    } finally {
      bare.close();
    }
  }

  private static long rows(EmulatedStack stack, String node) throws SQLException {
    try (Connection c = ((DatabaseNode) stack.node(node)).dataSource().getConnection()) {
      return count(c);
    }
  }

  private static long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

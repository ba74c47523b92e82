package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A promoted replica's sequences, raised by its applier, are not news to anyone. */
class PromotedSequenceReadTest {

  /**
   * The values a replica's applier gave its sequences came from the log, so every other node gets them from the log
   * too. Its record of what it logged started empty, so after a promotion the first commit of any session, a plain
   * read included, logged them again as a transaction of the new primary's own: a GTID no client wrote, which an
   * async failover then reported among the lost acknowledged writes (found by SchemaSequenceFaultStressTest seed 5).
   */
  @Test
  void aReadOnAFreshlyPromotedPrimary_logsNothing() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = SqlShapesReplicationTest.primary(stack); Statement s = c.createStatement()) {
        s.execute("CREATE SEQUENCE seq");
        s.executeQuery("SELECT NEXT VALUE FOR seq").close(); // logged with the sequence's value
      }
      SqlShapesReplicationTest.assertConverged(stack);
      stack.node("db-1").kill();
      db.failover();
      H2Database primary = (H2Database) db.primary();
      GtidSet before = primary.executedGtids();

      try (Connection c = primary.openConnection("reader"); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kv")) {
        rs.next();
      }

      assertThat(primary.executedGtids()).isEqualTo(before);
      try (Connection c = primary.openConnection("writer"); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR seq")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(2); // and it still continues after the old primary's value
      }
      assertThat(primary.executedGtids().subtract(before).size()).isEqualTo(1);
      SqlShapesReplicationTest.assertConverged(stack);
    }
  }
}

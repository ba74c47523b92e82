package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the row capture sees and how asynchronous shipping behaves: large objects, temporary tables, the user's
 * triggers, and the receiver on the real clock.
 */
class CaptureTest {

  private static Connection direct(EmulatedStack stack, String node) throws SQLException {
    return ((DatabaseNode) stack.node(node)).dataSource().getConnection();
  }

  @Test
  void largeObjects_replicateWithTheirContent_evenAfterThePrimaryDroppedThem() throws Exception {
    String text = "x".repeat(100_000) + " end";
    byte[] bytes = new byte[50_000];
    new Random(7).nextBytes(bytes);
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1).applyDelay(Duration.ofSeconds(1))).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE docs (id INT PRIMARY KEY, body CLOB, data BLOB)");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO docs VALUES (?, ?, ?)")) {
          for (int id = 1; id <= 2; id++) {
            ps.setInt(1, id);
            ps.setString(2, text);
            ps.setBytes(3, bytes);
            ps.executeUpdate();
          }
        }
        // The replica applies all this a second later, after the primary freed the LOBs of the first images.
        s.executeUpdate("UPDATE docs SET body = CONCAT(body, '!') WHERE id = 1");
        s.executeUpdate("DELETE FROM docs WHERE id = 2");
      }
      stack.clock().advance(Duration.ofSeconds(2));
      for (String node : new String[] {"db-1", "db-2"}) {
        try (Connection c = direct(stack, node); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT body, data FROM docs WHERE id = 1")) {
          assertThat(rs.next()).as(node).isTrue();
          assertThat(rs.getString(1)).as(node).isEqualTo(text + "!");
          assertThat(rs.getBytes(2)).as(node).isEqualTo(bytes);
        }
      }
      assertThat(db.status("db-2").lastErrno()).isZero();
    }
  }

  @Test
  void temporaryTables_stayOnTheirSession_andDoNotStopTheApplier() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE LOCAL TEMPORARY TABLE scratch (id INT PRIMARY KEY, v VARCHAR(10))");
        c.setAutoCommit(false);
        s.executeUpdate("INSERT INTO scratch VALUES (1, 'temp')");
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('beside-temp', 'kept')");
        c.commit();
        s.executeUpdate("UPDATE scratch SET v = 'again' WHERE id = 1");
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('after-temp', 'kept')");
        c.commit();
      }
      ReplicationStatus status = db.status("db-2");
      assertThat(status.lastError()).isEmpty();
      assertThat(status.applierRunning()).isTrue();
      assertThat(db.content("db-2").get("kv")).extracting(r -> r.get(0)).contains("beside-temp", "after-temp");
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
    }
  }

  @Test
  void applier_overwritesARowAlreadyOnTheReplica_asIdempotentModeDoes() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.setReadOnly("db-2", false);
      try (Connection c = direct(stack, "db-2"); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('dup', 'written on the replica')");
      }
      db.setReadOnly("db-2", true);
      assertThat(KvApp.put(stack, "dup", "from the primary").statusCode()).isEqualTo(200);

      assertThat(db.status("db-2").lastError()).isEmpty();
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
    }
  }

  @Test
  void theApplier_stillChecksForeignKeys_andStopsOnAViolation() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE parent (id INT PRIMARY KEY)");
        s.execute("CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL REFERENCES parent(id))");
        s.executeUpdate("INSERT INTO parent VALUES (1)");
      }
      db.setReadOnly("db-2", false); // the replica drifts: its parent row goes, behind replication's back
      try (Connection c = direct(stack, "db-2"); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM parent WHERE id = 1");
      }
      db.setReadOnly("db-2", true);
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO child VALUES (10, 1)");
      }

      ReplicationStatus status = db.status("db-2");
      assertThat(status.applierRunning()).isFalse(); // MySQL's SQL thread stops on error 1452 likewise
      assertThat(status.lastError()).containsIgnoringCase("referential");
      assertThat(db.content("db-2").get("child")).isEmpty();
    }
  }

  /** Counts its firings per database and writes an audit row, as a user's trigger might. */
  public static final class AuditTrigger implements org.h2.api.Trigger {
    static final Map<String, AtomicInteger> FIRES = new ConcurrentHashMap<>();

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
      FIRES.computeIfAbsent(conn.getCatalog(), k -> new AtomicInteger()).incrementAndGet();
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO audit_log(what) VALUES (?)")) {
        ps.setString(1, "inserted " + newRow[0]);
        ps.executeUpdate();
      }
    }
  }

  @Test
  void userTriggers_fireOnThePrimaryOnly_andTheRowsTheyWriteReplicate() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      String catalog1;
      String catalog2;
      try (Connection c = direct(stack, "db-1")) {
        catalog1 = c.getCatalog();
      }
      try (Connection c = direct(stack, "db-2")) {
        catalog2 = c.getCatalog();
      }
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE audit_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100))");
        s.execute("CREATE TRIGGER kv_audit AFTER INSERT ON kv FOR EACH ROW CALL '"
            + AuditTrigger.class.getName() + "'");
      }
      assertThat(KvApp.put(stack, "audited", "1").statusCode()).isEqualTo(200);
      assertThat(KvApp.put(stack, "audited-too", "2").statusCode()).isEqualTo(200);

      assertThat(AuditTrigger.FIRES.get(catalog1)).hasValue(2);
      assertThat(AuditTrigger.FIRES).doesNotContainKey(catalog2); // MySQL: no trigger for row events
      assertThat(db.content("db-2").get("audit_log")).extracting(r -> r.get(1))
          .containsExactly("inserted audited", "inserted audited-too");
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
      assertThat(db.status("db-2").lastError()).isEmpty();
    }
  }

  @Test
  void asyncReceiverOnTheRealClock_fetchesAfterTheCommit_andGoesQuietWhenIdleOrStopped() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).toBuilder().realClock().build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      ReplicaChannel channel = ((H2Database) stack.node("db-2")).channel();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        for (int i = 0; i < 300; i++) {
          s.executeUpdate("INSERT INTO events(note) VALUES ('row " + i + "')");
        }
      }
      stack.await("db-2 caught up", Duration.ofSeconds(10), db::isConverged);
      stack.await("the receiver goes quiet", Duration.ofSeconds(10), () -> !channel.receiverArmed());
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));

      db.replica("db-2").stopReceiver();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        for (int i = 0; i < 20; i++) {
          s.executeUpdate("INSERT INTO events(note) VALUES ('while stopped')");
          // A commit does not wake a stopped receiver: no look is scheduled until it starts.
          assertThat(channel.receiverArmed()).as("receiver armed after commit %d while stopped", i).isFalse();
        }
      }
      assertThat(db.status("db-2").retrieved()).isEqualTo(db.status("db-2").executed());
      assertThat(db.isConverged()).isFalse();

      db.replica("db-2").startReceiver();
      stack.await("db-2 caught up after START", Duration.ofSeconds(10), db::isConverged);
      assertThat(db.content("db-2")).isEqualTo(db.content("db-1"));
    }
  }
}

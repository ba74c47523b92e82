package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SQL shapes written on the primary that two replicas must end with row for row: upserts, bulk writes, types. */
class SqlShapesReplicationTest {

  static Connection primary(EmulatedStack stack) throws SQLException {
    return ((DatabaseNode) stack.node(stack.databaseCluster().primary().name())).dataSource().getConnection();
  }

  /** Every replica's applier runs without error and every table's rows equal the primary's. */
  static void assertConverged(EmulatedStack stack) throws SQLException {
    DatabaseCluster db = stack.databaseCluster();
    String p = db.primary().name();
    Map<String, List<List<Object>>> expected = db.content(p);
    for (DatabaseNode n : db.nodes()) {
      if (!n.name().equals(p) && db.status(n.name()).role() == DatabaseRole.REPLICA && n.isRunning()) {
        assertThat(db.status(n.name()).lastError()).as("%s's applier error", n.name()).isEmpty();
        assertThat(db.status(n.name()).applierRunning()).as("%s's applier", n.name()).isTrue();
        assertThat(comparable(db.content(n.name()))).as("%s's content", n.name()).isEqualTo(comparable(expected));
      }
    }
    assertThat(db.isConverged()).isTrue();
  }

  /** Content with arrays and large objects turned into values that compare by content. */
  static Map<String, List<List<Object>>> comparable(Map<String, List<List<Object>>> content) throws SQLException {
    Map<String, List<List<Object>>> out = new java.util.TreeMap<>();
    for (Map.Entry<String, List<List<Object>>> e : content.entrySet()) {
      List<List<Object>> rows = new java.util.ArrayList<>();
      for (List<Object> row : e.getValue()) {
        List<Object> r = new java.util.ArrayList<>();
        for (Object v : row) {
          r.add(comparable(v));
        }
        rows.add(r);
      }
      out.put(e.getKey(), rows);
    }
    return out;
  }

  private static Object comparable(Object v) throws SQLException {
    if (v instanceof byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    } else if (v instanceof java.sql.Array a) {
      List<Object> items = new java.util.ArrayList<>();
      for (Object o : (Object[]) a.getArray()) {
        items.add(comparable(o));
      }
      return items;
    } else if (v instanceof Object[] a) {
      List<Object> items = new java.util.ArrayList<>();
      for (Object o : a) {
        items.add(comparable(o));
      }
      return items;
    } else if (v instanceof java.sql.Clob cl) {
      return cl.getSubString(1, (int) cl.length());
    } else if (v instanceof java.sql.Blob bl) {
      return java.util.HexFormat.of().formatHex(bl.getBytes(1, (int) bl.length()));
    }
    return v;
  }

  @Test
  void mysqlUpserts_replicateTheRowsTheyWrote() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE u(id INT PRIMARY KEY, n INT UNIQUE, v VARCHAR(10), hits INT DEFAULT 0)");
      s.executeUpdate("INSERT INTO u(id, n, v) VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')");
      s.executeUpdate("INSERT INTO u(id, n, v) VALUES (1, 10, 'x') ON DUPLICATE KEY UPDATE hits = hits + 1");
      s.executeUpdate("INSERT INTO u(id, n, v) VALUES (4, 40, 'd'), (2, 20, 'y')"
          + " ON DUPLICATE KEY UPDATE v = VALUES(v), hits = hits + 10");
      s.executeUpdate("REPLACE INTO u(id, n, v) VALUES (3, 31, 'r')");
      s.executeUpdate("INSERT IGNORE INTO u(id, n, v) VALUES (1, 99, 'ignored'), (6, 60, 'f')");
      s.executeUpdate("MERGE INTO u(id, n, v) KEY(id) VALUES (6, 61, 'm'), (7, 70, 'g')");
      s.executeUpdate("MERGE INTO u USING (SELECT \"X\" AS id FROM SYSTEM_RANGE(6, 8)) src ON u.id = src.id"
          + " WHEN MATCHED AND u.id = 7 THEN DELETE"
          + " WHEN MATCHED THEN UPDATE SET v = 'merged'"
          + " WHEN NOT MATCHED THEN INSERT (id, n, v) VALUES (src.id, src.id * 100, 'new')");
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-1").get("u")).hasSize(6);
    }
  }

  @Test
  void truncate_resetsTheIdentityOnEveryNode() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO events(note) VALUES ('a'), ('b'), ('c')");
      s.execute("TRUNCATE TABLE events");
      s.executeUpdate("INSERT INTO events(note) VALUES ('after')");
      assertConverged(stack);
      stack.node("db-1").kill();
      stack.databaseCluster().failover();
      try (Connection c2 = primary(stack); Statement s2 = c2.createStatement()) {
        s2.executeUpdate("INSERT INTO events(note) VALUES ('on the new primary')");
      }
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-2").get("events")).extracting(r -> r.get(0))
          .containsExactly(1L, 2L);
    }
  }

  @Test
  void anUpdateWithOrderByAndLimit_andDeletesWithLimit_replicateTheRowsTheyChose() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE q(id INT PRIMARY KEY, prio INT, state VARCHAR(10))");
      s.executeUpdate("INSERT INTO q SELECT \"X\", MOD(\"X\" * 7, 13), 'new' FROM SYSTEM_RANGE(1, 40)");
      s.executeUpdate("UPDATE q SET state = 'taken' ORDER BY prio DESC, id LIMIT 5");
      s.executeUpdate("DELETE FROM q WHERE state = 'new' LIMIT 3"); // H2 has no DELETE ... ORDER BY
      s.executeUpdate("DELETE FROM q LIMIT 2");
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-2").get("q")).hasSize(35);
    }
  }

  @Test
  void fiftyThousandRowsInOneTransaction_andAnInsertSelect_replicate() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE big(id INT PRIMARY KEY, v VARCHAR(20), r DOUBLE)");
      s.execute("CREATE TABLE copy(id INT AUTO_INCREMENT PRIMARY KEY, src INT, r DOUBLE, at TIMESTAMP, u UUID)");
      c.setAutoCommit(false);
      try (var ps = c.prepareStatement("INSERT INTO big VALUES (?, ?, RAND())")) {
        for (int i = 0; i < 25_000; i++) {
          ps.setInt(1, i);
          ps.setString(2, "v" + i);
          ps.executeUpdate();
        }
      }
      s.executeUpdate("INSERT INTO big SELECT \"X\", 'bulk', RAND() FROM SYSTEM_RANGE(25000, 49999)");
      c.commit();
      c.setAutoCommit(true);
      s.executeUpdate("INSERT INTO copy(src, r, at, u) SELECT id, RAND(), NOW(), RANDOM_UUID() FROM big"
          + " WHERE MOD(id, 10) = 0");
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-2").get("big")).hasSize(50_000);
      assertThat(stack.databaseCluster().content("db-2").get("copy")).hasSize(5_000);
    }
  }

  @Test
  void userVariables_inAnInsert_replicateTheirValues() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("SET @who = 'alice'");
      s.execute("SET @n = 41");
      s.executeUpdate("INSERT INTO kv(k, v) VALUES (@who, CAST(@n + 1 AS VARCHAR))");
      s.executeUpdate("INSERT INTO events(note) SELECT CONCAT(@who, '-', \"X\") FROM SYSTEM_RANGE(1, 3)");
      assertConverged(stack);
      assertThat(stack.databaseCluster().content("db-2").get("kv")).extracting(r -> r.get(1)).contains("42");
    }
  }

  @Test
  void manyColumnTypes_andNullsEverywhere_replicateExactly() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE DOMAIN email AS VARCHAR(100) CHECK (POSITION('@', VALUE) > 1)");
      s.execute("CREATE TABLE t(id INT PRIMARY KEY, e email, st ENUM('new', 'done'), u UUID, j JSON,"
          + " a INTEGER ARRAY, tz TIMESTAMP WITH TIME ZONE, d DECFLOAT, iv INTERVAL DAY TO SECOND,"
          + " b BINARY(4), vb VARBINARY(10), big VARCHAR(1000000), n NUMERIC(30, 10), f REAL, bo BOOLEAN,"
          + " t TIME, dt DATE, ch CHAR(5), cl CLOB, bl BLOB, geo VARCHAR(5))");
      s.executeUpdate("INSERT INTO t VALUES (1, 'a@b.c', 'done', RANDOM_UUID(), JSON '{\"k\":[1,2,null]}',"
          + " ARRAY[1, NULL, 3], TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:05.123456+05:30', 1.5E+300,"
          + " INTERVAL '3 04:05:06.7' DAY TO SECOND, X'01020304', X'ff00', REPEAT('x', 200000),"
          + " 12345678901234567890.0123456789, 1.25, TRUE, TIME '23:59:59', DATE '2000-02-29', 'ab',"
          + " REPEAT('c', 100000), X'00ff00', 'e')");
      s.executeUpdate("INSERT INTO t(id) VALUES (2)");
      s.executeUpdate("UPDATE t SET d = d * 2, a = ARRAY_APPEND(a, 4), j = JSON '[]' WHERE id = 1");
      s.executeUpdate("UPDATE t SET e = NULL, u = NULL WHERE id = 1");
      s.executeUpdate("DELETE FROM t WHERE id = 2 AND e IS NULL");
      assertConverged(stack);
    }
  }

  @Test
  void viewsAndUserFunctions_areReplicatedAsStatements() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE ALIAS twice AS 'int twice(int x) { return 2 * x; }'");
      s.execute("CREATE TABLE f(id INT PRIMARY KEY, v INT)");
      s.executeUpdate("INSERT INTO f SELECT \"X\", twice(\"X\") FROM SYSTEM_RANGE(1, 3)");
      s.execute("CREATE VIEW big_f AS SELECT id FROM f WHERE v > 2");
      assertConverged(stack);
      try (Connection r = ((DatabaseNode) stack.node("db-2")).dataSource().getConnection();
          Statement rs = r.createStatement(); var res = rs.executeQuery("SELECT COUNT(*), SUM(twice(id)) FROM big_f")) {
        res.next();
        assertThat(res.getInt(1)).isEqualTo(2);
        assertThat(res.getInt(2)).isEqualTo(10);
      }
    }
  }
}

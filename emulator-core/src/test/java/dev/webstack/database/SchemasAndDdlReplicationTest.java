package dev.webstack.database;

import static dev.webstack.database.SqlShapesReplicationTest.assertConverged;
import static dev.webstack.database.SqlShapesReplicationTest.primary;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables outside the default schema, and DDL that changes a table while its rows wait in a relay log. */
class SchemasAndDdlReplicationTest {

  @Test
  void rowsInAnotherSchema_replicate() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA shop");
      s.execute("CREATE TABLE shop.items(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))");
      s.execute("CREATE TABLE shop.kv(k VARCHAR(10) PRIMARY KEY, n INT)"); // the same name as public's kv
      s.executeUpdate("INSERT INTO shop.items(name) VALUES ('a'), ('b'), ('c')");
      s.executeUpdate("UPDATE shop.items SET name = 'B' WHERE id = 2");
      s.executeUpdate("DELETE FROM shop.items WHERE id = 3");
      s.executeUpdate("INSERT INTO shop.kv VALUES ('x', 1)");
      s.executeUpdate("UPDATE shop.kv SET k = 'y'");
      DatabaseCluster db = stack.databaseCluster();
      assertConverged(stack);
      assertThat(db.content("db-2").get("shop.items")).containsExactly(List.of(1, "a"), List.of(2, "B"));
      assertThat(db.content("db-3").get("shop.kv")).containsExactly(List.of("y", 1));
      assertThat(db.content("db-3").get("kv")).hasSize(1); // public's, from the schema script
    }
  }

  @Test
  void aPromotedReplica_continuesTheIdentityOfATableInAnotherSchema() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      try (Connection c = primary(stack); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA shop");
        s.execute("CREATE TABLE shop.items(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))");
        s.executeUpdate("INSERT INTO shop.items(name) VALUES ('a'), ('b')");
      }
      stack.node("db-1").kill();
      stack.databaseCluster().failover();
      try (Connection c = primary(stack); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO shop.items(name) VALUES ('c')");
      }
      assertThat(stack.databaseCluster().content("db-2").get("shop.items")).extracting(r -> r.get(0))
          .containsExactly(1, 2, 3);
    }
  }

  @Test
  void ddlAfterSetSchema_runsInThatSchemaOnTheReplicas() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA shop");
      s.execute("SET SCHEMA shop");
      s.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(20))");
      s.executeUpdate("INSERT INTO items VALUES (1, 'a')");
      s.execute("ALTER TABLE items ADD COLUMN price INT DEFAULT 5");
      s.executeUpdate("INSERT INTO items VALUES (2, 'b', 7)");
      s.execute("SET SCHEMA public");
      s.execute("CREATE TABLE items(id INT PRIMARY KEY)"); // public's own, a different table
      s.executeUpdate("INSERT INTO items VALUES (9)");
      assertConverged(stack);
      DatabaseCluster db = stack.databaseCluster();
      assertThat(db.content("db-2").get("shop.items")).containsExactly(List.of(1, "a", 5), List.of(2, "b", 7));
      assertThat(db.content("db-2").get("items")).containsExactly(List.of(9));
    }
  }

  @Test
  void alterTable_whileRowsOfTheOldShapeWaitInTheRelayLog_appliesEachInItsShape() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      DatabaseCluster db = stack.databaseCluster();
      s.execute("CREATE TABLE a(id INT PRIMARY KEY, x VARCHAR(10), y INT)");
      db.replica("db-2").stopApplier();
      db.replica("db-3").applyDelay(java.time.Duration.ofSeconds(10));
      s.executeUpdate("INSERT INTO a VALUES (1, 'one', 10), (2, 'two', 20)");
      s.execute("ALTER TABLE a ADD COLUMN z INT DEFAULT 7 NOT NULL");
      s.executeUpdate("INSERT INTO a VALUES (3, 'three', 30, 3)");
      s.executeUpdate("UPDATE a SET x = 'uno' WHERE id = 1");
      s.execute("ALTER TABLE a DROP COLUMN y");
      s.executeUpdate("INSERT INTO a VALUES (4, 'four', 4)");
      s.execute("ALTER TABLE a ALTER COLUMN x RENAME TO label");
      s.executeUpdate("UPDATE a SET label = 'dos' WHERE id = 2");
      s.execute("ALTER TABLE a RENAME TO b");
      s.executeUpdate("INSERT INTO b VALUES (5, 'five', 5)");
      s.executeUpdate("DELETE FROM b WHERE id = 3");
      s.execute("ALTER TABLE b ADD COLUMN w VARCHAR(5) FIRST");
      s.executeUpdate("INSERT INTO b VALUES ('w', 6, 'six', 6)");
      assertThat(db.status("db-2").relayLogTransactions()).isGreaterThan(10);
      db.replica("db-2").startApplier();
      stack.clock().advance(java.time.Duration.ofSeconds(11));
      assertConverged(stack);
      assertThat(db.content("db-3").get("b")).hasSize(5);
      assertThat(db.content("db-3")).doesNotContainKey("a");
    }
  }
}

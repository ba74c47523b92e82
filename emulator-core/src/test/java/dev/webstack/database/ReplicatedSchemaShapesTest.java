package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Tables whose shape the applier and {@code content(..)} must respect: quoted names, generated columns. */
class ReplicatedSchemaShapesTest {

  private static Connection primary(EmulatedStack stack) throws SQLException {
    return ((DatabaseNode) stack.node("db-1")).dataSource().getConnection();
  }

  private static void assertConverged(EmulatedStack stack, String table) throws SQLException {
    DatabaseCluster db = stack.databaseCluster();
    assertThat(db.status("db-2").lastError()).as("db-2's applier error").isEmpty();
    assertThat(db.isConverged()).as("converged: %s", db.status("db-2")).isTrue();
    assertThat(db.content("db-2").get(table)).as("db-2's %s", table).isEqualTo(db.content("db-1").get(table));
  }

  @Test
  void aTableAndColumnsWithCaseSensitiveQuotedNames_replicateAndShowInContent() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE \"MiXed\"(\"Id\" INT PRIMARY KEY, \"Val\" VARCHAR(5))");
      s.executeUpdate("INSERT INTO \"MiXed\" VALUES (1, 'a'), (2, 'b')");
      s.executeUpdate("UPDATE \"MiXed\" SET \"Val\" = 'c' WHERE \"Id\" = 1");
      s.executeUpdate("DELETE FROM \"MiXed\" WHERE \"Id\" = 2");
      assertConverged(stack, "MiXed");
      assertThat(stack.databaseCluster().content("db-1").get("MiXed")).hasSize(1);
    }
  }

  @Test
  void aGeneratedColumn_isComputedOnTheReplica_andDoesNotStopTheApplier() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE g(id INT PRIMARY KEY, a INT, b INT GENERATED ALWAYS AS (a * 2), c VARCHAR(5))");
      s.executeUpdate("INSERT INTO g(id, a, c) VALUES (1, 2, 'x'), (2, 3, 'y')");
      s.executeUpdate("UPDATE g SET a = 5 WHERE id = 1");
      s.executeUpdate("UPDATE g SET id = id + 10"); // a multi-row statement: removed, then added
      s.executeUpdate("DELETE FROM g WHERE id = 12");
      assertConverged(stack, "g");
      assertThat(stack.databaseCluster().content("db-2").get("g")).containsExactly(java.util.List.of(11, 5, 10, "x"));
    }
  }

  @Test
  void anIdentityGeneratedAlways_takesTheSourcesValues_onInsertAndUpdate() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = primary(stack); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ga(id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a INT, n INT UNIQUE)");
      s.executeUpdate("INSERT INTO ga(a, n) VALUES (1, 1)");
      s.executeUpdate("INSERT INTO ga(a, n) VALUES (2, 2), (3, 3)");
      s.executeUpdate("UPDATE ga SET a = 9 WHERE id = 2");
      s.executeUpdate("UPDATE ga SET n = n + 1"); // shifts a unique column: removed, then added
      s.executeUpdate("DELETE FROM ga WHERE id = 1");
      assertConverged(stack, "ga");
      assertThat(stack.databaseCluster().content("db-2").get("ga")).hasSize(2);
    }
  }
}

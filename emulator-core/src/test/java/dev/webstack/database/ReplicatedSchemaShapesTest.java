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
}

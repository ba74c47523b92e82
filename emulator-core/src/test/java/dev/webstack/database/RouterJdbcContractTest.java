package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routing data source's connections against JDBC's contract, call by call. */
class RouterJdbcContractTest {

  private static void assertSqlState(Throwable e, String state) {
    assertThat(e).isInstanceOfSatisfying(SQLException.class, s -> assertThat(s.getSQLState()).isEqualTo(state));
  }

  @Test
  void abort_closesTheConnection_rollsItsTransactionBack_andNeedsNoReachablePrimary() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      Connection c = lockingTheSeedRow(db);
      assertThatThrownBy(() -> c.abort(null)).isInstanceOf(SQLException.class);
      c.abort(Runnable::run);
      assertThat(c.isClosed()).isTrue();
      assertThatThrownBy(c::createStatement).satisfies(e -> assertSqlState(e, "08003"));
      assertThatThrownBy(c::commit).satisfies(e -> assertSqlState(e, "08003"));
      c.abort(Runnable::run); // a no-op once closed
      c.close();
      assertSeedRowUnlocked(db);

      Connection idle = db.dataSource().getConnection();
      stack.node("db-1").kill();
      idle.abort(Runnable::run);
      assertThat(idle.isClosed()).isTrue();
    }
  }

  @Test
  void abort_withAnExecutorThatRefusesWork_stillClosesTheNodesAndReleasesTheLocks() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      Connection c = lockingTheSeedRow(db);
      c.abort(task -> {
        throw new java.util.concurrent.RejectedExecutionException("the pool is shut down");
      });
      assertThat(c.isClosed()).isTrue();
      assertSeedRowUnlocked(db);
    }
  }

  /** Connector/J sends {@code SET SESSION TRANSACTION ISOLATION LEVEL}: no commit, the next transaction's level. */
  @Test
  void setTransactionIsolationInsideATransaction_commitsNothing_andAppliesToTheNextTransaction() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('rolled-back', '1')");
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.rollback();
        s.executeUpdate("INSERT INTO kv(k, v) VALUES ('next', '2')");
        assertThat(isolationOfThisSession(s)).isEqualTo("SERIALIZABLE");
        c.commit();
      }
      assertThat(db.content("db-1")).isEqualTo(db.content("db-2"));
      assertThat(db.content("db-1").get("kv")).extracting(row -> row.get(0)).containsExactly("next", "seed");
    }
  }

  private static String isolationOfThisSession(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery(
        "SELECT ISOLATION_LEVEL FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void theIsolationLevel_reachesReplicasReads_andThePromotedPrimarysTransactions() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('w', '1')"); // a backend on the primary first
      c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      assertThat(isolationOfThisSession(s)).isEqualTo("SERIALIZABLE");
      assertThat(lastNode(c)).isEqualTo("db-2");
      stack.node("db-1").kill();
      stack.databaseCluster().failover();
      c.setAutoCommit(false);
      assertThat(isolationOfThisSession(s)).isEqualTo("SERIALIZABLE");
      assertThat(lastNode(c)).isIn("db-2", "db-3").isEqualTo(stack.databaseCluster().primary().name());
      c.commit();
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
    }
  }

  @Test
  void theSchema_reachesEveryNodeTheNextStatementMayRunOn() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA app");
      s.executeUpdate("CREATE TABLE app.kv (k VARCHAR(20) PRIMARY KEY, v VARCHAR(20))");
      c.setSchema("app");
      assertThat(c.getSchema()).isEqualTo("app");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kv")) {
        assertThat(lastNode(c)).isEqualTo("db-2");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).as("app.kv, empty, not public.kv and its seed row").isZero();
      }
    }
  }

  @Test
  void useOrSetSchemaText_movesEveryNodeTheNextStatementMayRunOn_asTheSetterDoes() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA app");
      s.executeUpdate("CREATE TABLE app.kv (k VARCHAR(20) PRIMARY KEY, v VARCHAR(20))");
      s.execute("USE app");
      assertThat(c.getSchema()).isEqualTo("app");
      s.executeUpdate("INSERT INTO kv VALUES ('a', '1')"); // app.kv, on the primary
      stack.await("replica caught up", java.time.Duration.ofSeconds(10), stack.databaseCluster()::isConverged);
      try (ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = 'a'")) {
        assertThat(lastNode(c)).isEqualTo("db-2");
        assertThat(rs.next()).as("app.kv's row, read on the replica").isTrue();
      }
      try (java.sql.PreparedStatement back = c.prepareStatement("SET SCHEMA public")) {
        back.execute();
      }
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kv WHERE k = 'a'")) {
        assertThat(lastNode(c)).isEqualTo("db-2");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).as("public.kv has no row 'a'").isZero();
      }
      String before = c.getSchema();
      assertThatThrownBy(() -> s.execute("USE nowhere")).isInstanceOf(SQLException.class)
          .hasMessageContaining("nowhere");
      assertThat(c.getSchema()).isEqualTo(before).isEqualToIgnoringCase("public");
      assertThat(stack.databaseCluster().content("db-2").get("app.kv")).containsExactly(List.of("a", "1"));
    }
  }

  /**
   * A {@code setSchema} that fails (no such schema) changes nothing, as a driver's failed {@code USE} does: the
   * router used to record the name before any node had accepted it, so every later statement failed when the
   * router carried it to its node connection, on every node, until the application set another schema.
   */
  @Test
  void aSetSchemaThatFails_leavesTheConnectionInItsSchema_andUsable() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT COUNT(*) FROM kv").close(); // a node connection to the replica
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('a', '1')"); // and one to the primary
      assertThatThrownBy(() -> c.setSchema("nowhere")).isInstanceOf(SQLException.class)
          .hasMessageContaining("nowhere");
      assertThat(c.getSchema()).isEqualToIgnoringCase("public");
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('b', '2')");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kv")) {
        assertThat(rs.next()).isTrue();
      }
    }
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection fresh = stack.databaseCluster().dataSource().getConnection();
        Statement s = fresh.createStatement()) {
      assertThatThrownBy(() -> fresh.setSchema("nowhere")).as("no node connection open yet")
          .isInstanceOf(SQLException.class).hasMessageContaining("nowhere");
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('c', '3')");
    }
  }

  /**
   * {@code USE} begins no transaction in MySQL, and {@code setSchema} pins no node here: text {@code USE} in
   * manual-commit mode used to pin the primary of that moment as the transaction's node, so a failover before the
   * first statement failed that statement with 08S01 (a transaction lost with its node) though none had begun.
   */
  @Test
  void useInManualCommitMode_beginsNoTransaction_soAFailoverBeforeTheFirstStatementLosesNothing() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        Connection c = stack.databaseCluster().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA app");
      s.executeUpdate("CREATE TABLE app.kv (k VARCHAR(20) PRIMARY KEY, v VARCHAR(20))");
      stack.await("replica caught up", java.time.Duration.ofSeconds(10), stack.databaseCluster()::isConverged);
      c.setAutoCommit(false);
      s.execute("USE app");
      stack.node("db-1").kill();
      stack.databaseCluster().failover();
      s.executeUpdate("INSERT INTO kv VALUES ('a', '1')");
      c.commit();
      assertThat(lastNode(c)).isEqualTo("db-2");
      assertThat(stack.databaseCluster().content("db-2").get("app.kv")).containsExactly(List.of("a", "1"));
    }
  }

  @Test
  void sessionCalls_needNoReachablePrimary_andClientInfoIsKeptByTheConnection() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      stack.node("db-1").kill();
      try (Connection c = stack.databaseCluster().dataSource().getConnection()) {
        assertThat(c.isValid(1)).isTrue();
        c.setNetworkTimeout(Runnable::run, 1500);
        assertThat(c.getNetworkTimeout()).isEqualTo(1500);
        c.clearWarnings();
        assertThat(c.getWarnings() == null).as("no warnings").isTrue();
        c.setClientInfo("ApplicationName", "orders");
        assertThat(c.getClientInfo("ApplicationName")).isEqualTo("orders");
        assertThat(c.getClientInfo().getProperty("ApplicationName")).isEqualTo("orders");
        assertThat(c.getMetaData().getDatabaseProductName()).isNotEmpty();
        assertThat(c.nativeSQL("SELECT {fn UCASE('a')}")).doesNotContain("{fn");
      }
    }
  }

  @Test
  void everyCallAfterClose_failsWith08003_exceptTheOnesJdbcLetsThrough() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      Connection c = stack.databaseCluster().dataSource().getConnection();
      c.close();
      assertThat(c.isClosed()).isTrue();
      assertThat(c.isValid(0)).isFalse();
      c.close();
      c.abort(Runnable::run);
      for (ThrowingCall call : List.<ThrowingCall>of(c::getMetaData, () -> c.nativeSQL("SELECT 1"), c::getAutoCommit,
          c::isReadOnly, c::getTransactionIsolation, c::getSchema, c::clearWarnings, c::getClientInfo,
          () -> c.setAutoCommit(false), () -> c.setReadOnly(true), c::commit, c::rollback, c::createStatement,
          () -> c.prepareStatement("SELECT 1"), () -> c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE),
          () -> c.setNetworkTimeout(Runnable::run, 1), c::getNetworkTimeout)) {
        assertThatThrownBy(call::run).satisfies(e -> assertSqlState(e, "08003"))
            .hasMessageContaining("closed");
      }
      assertThatThrownBy(() -> c.setClientInfo("ApplicationName", "x")).isInstanceOf(SQLClientInfoException.class);
    }
  }

  /** A routed connection in a transaction that has updated, and so locks, the seed row. */
  private static Connection lockingTheSeedRow(DatabaseCluster db) throws SQLException {
    Connection c = db.dataSource().getConnection();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE kv SET v = 'aborted' WHERE k = 'seed'");
    }
    return c;
  }

  private static void assertSeedRowUnlocked(DatabaseCluster db) throws SQLException {
    try (Connection other = db.dataSource().getConnection(); Statement s = other.createStatement()) {
      assertThat(s.executeUpdate("UPDATE kv SET v = 'after' WHERE k = 'seed'")).as("lock released").isEqualTo(1);
    }
  }

  private interface ThrowingCall {
    void run() throws SQLException;
  }

  private static String lastNode(Connection c) throws SQLException {
    return c.unwrap(RoutedConnection.class).lastNode().orElseThrow();
  }
}

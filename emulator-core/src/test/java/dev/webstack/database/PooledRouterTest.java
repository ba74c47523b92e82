package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.webstack.EmulatedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The routing data source behind HikariCP, as applications use it: one pooled connection reused many times. */
class PooledRouterTest {

  private static HikariDataSource pool(DataSource router, Consumer<HikariConfig> settings) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(router);
    config.setPoolName("router-pool");
    config.setMaximumPoolSize(1);
    settings.accept(config);
    return new HikariDataSource(config);
  }

  private static String lastNode(Connection c) throws SQLException {
    return c.unwrap(RoutedConnection.class).lastNode().orElseThrow();
  }

  private static List<Object> keys(DatabaseCluster db, String node) throws SQLException {
    return db.content(node).get("kv").stream().map(row -> row.get(0)).toList();
  }

  private static void insert(Connection c, String key) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO kv(k, v) VALUES ('" + key + "', 'x')");
    }
  }

  private static String read(Connection c, String key) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = '" + key + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void onePooledConnection_servesManyRequests_eachRoutedAfreshWhateverThePreviousOneLeftBehind() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        HikariDataSource pool = pool(stack.databaseCluster().dataSource(), c -> {})) {
      DatabaseCluster db = stack.databaseCluster();
      for (int i = 0; i < 10; i++) {
        try (Connection c = pool.getConnection()) {
          // returned in the middle of nothing
        }
        try (Connection c = pool.getConnection()) {
          c.setAutoCommit(false);
          insert(c, "rolled-back-" + i);
          c.rollback();
        }
        try (Connection c = pool.getConnection()) {
          c.setReadOnly(true);
          assertThat(read(c, "seed")).isNotNull();
          assertThat(lastNode(c)).isIn("db-2", "db-3");
        } // the pool sets read-only back to false
        try (Connection c = pool.getConnection()) {
          assertThat(c.getAutoCommit()).isTrue();
          assertThat(c.isReadOnly()).isFalse();
          insert(c, "kept-" + i);
          assertThat(lastNode(c)).isEqualTo("db-1");
          assertThat(read(c, "seed")).isNotNull();
          assertThat(lastNode(c)).isIn("db-2", "db-3");
        }
      }
      stack.await("replicas converged", java.time.Duration.ofSeconds(5), db::isConverged);
      for (String node : List.of("db-1", "db-2", "db-3")) {
        assertThat(keys(db, node)).hasSize(11).noneMatch(k -> k.toString().startsWith("rolled-back"));
      }
    }
  }

  @Test
  void aPooledConnection_survivesAReplicaKillAndAFailover_andWritesToTheNewPrimary() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(2)).start();
        HikariDataSource pool = pool(stack.databaseCluster().dataSource(), c -> {})) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = pool.getConnection()) {
        insert(c, "before");
        read(c, "before");
        read(c, "before"); // both replicas have a backend now
      }
      stack.node("db-3").kill();
      try (Connection c = pool.getConnection()) {
        assertThat(read(c, "seed")).isNotNull();
        assertThat(lastNode(c)).isEqualTo("db-2");
        assertThat(read(c, "seed")).isNotNull();
        assertThat(lastNode(c)).isEqualTo("db-2");
      }
      stack.node("db-1").kill();
      db.failover();
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        insert(c, "after");
        assertThat(lastNode(c)).isEqualTo("db-2");
        c.commit();
      }
      assertThat(keys(db, "db-2")).contains("before", "after");
    }
  }

  /**
   * A pool configured with autocommit off checks and returns its connections in manual-commit mode; its checks must
   * not start the next transaction on the primary of the moment, or a failover in between leaves it pinned there.
   */
  @Test
  void aManualCommitPool_writesToTheNewPrimaryAfterAFailover_notWhereItsChecksRan() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start();
        HikariDataSource pool = pool(stack.databaseCluster().dataSource(), c -> c.setAutoCommit(false))) {
      DatabaseCluster db = stack.databaseCluster();
      try (Connection c = pool.getConnection()) {
        insert(c, "before");
        c.commit();
      }
      db.failover(); // db-1 fenced, still up
      try (Connection c = pool.getConnection()) {
        insert(c, "after");
        assertThat(lastNode(c)).isEqualTo("db-2");
        c.commit();
      }
      assertThat(keys(db, "db-2")).contains("before", "after");
    }
  }

  /** ProxySQL accepts clients while the primary is down and serves their reads; so must the pool's connections. */
  @Test
  void aPool_opensConnectionsAndServesReads_whileThePrimaryIsDown() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      stack.node("db-1").kill();
      try (HikariDataSource pool = pool(stack.databaseCluster().dataSource(), c -> {});
          Connection c = pool.getConnection()) {
        assertThat(read(c, "seed")).isNotNull();
        assertThat(lastNode(c)).isEqualTo("db-2");
        assertThatThrownBy(() -> insert(c, "refused"))
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08S01"));
      }
    }
  }

  /** HikariCP aborts the connections still borrowed when it closes, and closes nothing more of them. */
  @Test
  void aLeakedConnectionsTransaction_isRolledBackAndItsLocksFreed_whenThePoolCloses() throws Exception {
    try (EmulatedStack stack = Stacks.kv(db -> db.replicas(1)).start()) {
      DatabaseCluster db = stack.databaseCluster();
      HikariDataSource pool = pool(db.dataSource(), c -> c.setLeakDetectionThreshold(60_000));
      Connection leaked = pool.getConnection();
      leaked.setAutoCommit(false);
      try (Statement s = leaked.createStatement()) {
        s.executeUpdate("UPDATE kv SET v = 'leaked' WHERE k = 'seed'");
      }
      pool.close();

      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        assertThat(s.executeUpdate("UPDATE kv SET v = 'after' WHERE k = 'seed'")).as("no lock left").isEqualTo(1);
      }
      assertThat(db.content("db-1").get("kv").get(0).get(1)).isEqualTo("after");
      assertThatThrownBy(leaked::commit).isInstanceOf(SQLException.class);
    }
  }
}

package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded randomized stress of the newer replication features under faults: tables in two schemas, a sequence drawn
 * for every id, {@code ALTER TABLE} while transactions on the table are open, {@code USE} / {@code SET SCHEMA} /
 * {@code setSchema} switches, writers through HikariCP over the router and direct to the primary, replica kills,
 * stopped appliers and receivers, partitions, primary kills with failover (async and semi-sync), rejoin and rebuild.
 *
 * <p>The writers are interleaved in the test's thread, step by step, so a seed replays the same scenario (the manual
 * clock runs replication inside the calls); only an {@code ALTER TABLE} that has to wait for open transactions runs
 * on a second thread, and whether it waited or not, the outcome is the same. After every failover and at the end:
 * the lost acknowledged GTIDs and rows are exactly those the client saw acknowledged and the new primary lacks, the
 * sequence never hands out again a value that a surviving commit logged, replicas converge row by row, nothing is
 * errant where nothing should be, and after close no connection or thread is left.
 *
 * <p>More seeds for a soak: {@code -Dwebstack.stress.seeds=200}.
 */
class SchemaSequenceFaultStressTest {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaSequenceFaultStressTest.class);
  private static final List<String> TABLES = List.of("t1", "s2.t2"); // content(..)'s names
  private static final int STEPS = 220;

  @Test
  void fixedSeeds() throws Exception {
    int extra = Integer.getInteger("webstack.stress.seeds", 0);
    long first = Long.getLong("webstack.stress.firstSeed", 1);
    int count = 6 + extra;
    // A guard, not a measure: a scenario that leaves no replica able to acknowledge waits on the manual clock for
    // good; interrupted, its semi-sync wait fails the seed with its trace instead of hanging the build.
    assertTimeoutPreemptively(Duration.ofSeconds(60 + 10L * count), () -> {
      for (long seed = first; seed < first + count; seed++) {
        new Scenario(seed).run();
      }
    });
  }

  /** One write of a transaction: value null deletes. */
  record Op(String table, long id, String value) {}

  static final class Writer {
    final String name;
    final boolean pooled;
    Connection c;
    String schema = "public";
    final List<Op> pending = new ArrayList<>();
    final List<Long> drawn = new ArrayList<>();

    Writer(String name, boolean pooled) {
      this.name = name;
      this.pooled = pooled;
    }

    boolean inTx() throws SQLException {
      return c != null && !c.getAutoCommit();
    }

    /**
     * Tables its open transaction ran a write on that changed nothing (a row outside its snapshot): H2 holds the
     * table's lock until the transaction ends all the same, as MySQL's metadata lock does.
     */
    final Set<String> touched = new java.util.HashSet<>();

    void endTx() {
      pending.clear();
      touched.clear();
    }

    boolean holds(String table) {
      return touched.contains(table) || pending.stream().anyMatch(op -> op.table().equals(table));
    }
  }

  /** A connection that has lost its node (08S01 / 08003) or reached a fenced one (1290). */
  private static boolean lost(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("08") || e.getErrorCode() == 1290;
  }

  static final class Scenario {
    final long seed;
    final Random rnd;
    final boolean semiSync;
    EmulatedStack stack;
    DatabaseCluster db;
    HikariDataSource pool;
    final List<Writer> writers = new ArrayList<>();
    Connection ddl;
    final ExecutorService ddlThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "stress-ddl"));
    /** The acknowledged state of every table: id -> v. */
    final Map<String, Map<Long, String>> model = new HashMap<>();
    /** Every acknowledged GTID, and the keys ("table#id") its transaction wrote. */
    GtidSet acked = GtidSet.empty();
    final Map<String, Set<String>> keysOf = new HashMap<>();
    /** Per acknowledged DML commit, the highest sequence value drawn before it on its node (any session). */
    final Map<String, Long> drawnBefore = new HashMap<>();
    /** Per node, the highest value its sequence handed out. */
    final Map<String, Long> maxDrawn = new HashMap<>();
    /** Sequence values drawn later must be above this: what the surviving commits logged. */
    long floor = 0;
    GtidSet reported = GtidSet.empty();
    final Set<String> reportedKeys = new TreeSet<>();
    final Set<Set<String>> cuts = new HashSet<>();
    int columns = 0;
    final Map<String, List<String>> addedColumns = new HashMap<>();
    int token = 0;
    int failovers = 0;
    int alters = 0;
    int commits = 0;
    final StringBuilder trace = new StringBuilder();

    Scenario(long seed) {
      this.seed = seed;
      this.rnd = new Random(seed);
      this.semiSync = seed % 2 == 0;
    }

    void log(String s) {
      trace.append(s).append('\n');
      if (trace.length() > 200_000) {
        trace.delete(0, 100_000);
      }
    }

    String where() {
      return "seed " + seed + (semiSync ? " semi-sync" : " async") + "; trace tail:\n"
          + trace.substring(Math.max(0, trace.length() - 6000));
    }

    void run() throws Exception {
      Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
      long start = System.nanoTime();
      stack = Stacks.kv(d -> {
        d.replicas(2);
        if (semiSync) {
          d.semiSync(Duration.ofSeconds(1));
        }
      }).start();
      try {
        db = stack.databaseCluster();
        setUp();
        for (int step = 0; step < STEPS; step++) {
          step(step);
        }
        endOpenTransactions();
        finalChecks();
        closeClients();
        assertThat(openConnections()).as("client connections left open on the nodes, %s", where()).isZero();
      } catch (Throwable t) {
        LOG.error("stress failed: seed {}, full trace:\n{}", seed, trace);
        throw t;
      } finally {
        closeClients();
        ddlThread.shutdownNow();
        stack.close();
      }
      awaitNoNewThreads(threadsBefore);
      LOG.info("seed {} ({}): {} steps, {} commits, {} failovers, {} ALTERs, lost {} acknowledged, {} ms", seed,
          semiSync ? "semi-sync" : "async", STEPS, commits, failovers, alters, reported.size(),
          (System.nanoTime() - start) / 1_000_000);
    }

    void setUp() throws SQLException {
      try (Connection c = primaryConnection("setup"); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA s2");
        s.execute("CREATE SEQUENCE ids");
        s.execute("CREATE TABLE t1(id BIGINT PRIMARY KEY, v VARCHAR(40))");
        s.execute("SET SCHEMA s2");
        s.execute("CREATE TABLE t2(id BIGINT PRIMARY KEY, v VARCHAR(40))"); // s2.t2, by the session's schema
      }
      for (String t : TABLES) {
        model.put(t, new TreeMap<>());
        addedColumns.put(t, new ArrayList<>());
      }
      HikariConfig config = new HikariConfig();
      config.setDataSource(db.dataSource());
      config.setPoolName("stress-pool-" + seed);
      config.setMaximumPoolSize(2);
      config.setConnectionTimeout(5_000);
      pool = new HikariDataSource(config);
      writers.add(new Writer("pool-a", true));
      writers.add(new Writer("pool-b", true));
      writers.add(new Writer("direct-c", false));
      writers.add(new Writer("direct-d", false));
      stack.clock().advance(Duration.ofMillis(10));
    }

    Connection primaryConnection(String client) throws SQLException {
      return ((H2Database) db.primary()).openConnection(client);
    }

    // ---- the steps

    void step(int step) throws Exception {
      String primaryBefore = db.primary().name();
      GtidSet before = ((H2Database) db.primary()).executedGtids();
      GtidSet ackedBefore = acked;
      stepOnce();
      if (db.primary().name().equals(primaryBefore)) {
        // What the primary logged in this step and no tracked commit returned: only sessions' commits that carried
        // the sequence's value drawn by another session (USE, SET, a read on the primary), acknowledged all the same.
        H2Database p = (H2Database) db.primary();
        GtidSet extra = p.executedGtids().subtract(before).subtract(acked.subtract(ackedBefore));
        for (String gtid : each(extra)) {
          BinlogTx tx = p.binlogFrom(0).txs().stream().filter(t -> t.gtid().equals(gtid)).findFirst().orElse(null);
          assertThat(tx).as("%s logged %s, not in its log, %s", p.name(), gtid, where()).isNotNull();
          assertThat(tx.events()).as("%s: a transaction no tracked client committed, %s", gtid, where())
              .allMatch(e -> e instanceof BinlogTx.SequenceEvent);
          log("sequence-only " + gtid + " " + tx.events());
          acked = acked.union(GtidSet.parse(gtid));
          keysOf.put(gtid, Set.of());
          drawnBefore.put(gtid, maxDrawn.getOrDefault(p.name(), 0L));
        }
      }
    }

    /** Every GTID of a set, one by one. */
    static List<String> each(GtidSet set) {
      List<String> out = new ArrayList<>();
      if (set.isEmpty()) {
        return out;
      }
      for (String part : set.toString().replace("\n", "").split(",")) {
        String[] f = part.trim().split(":");
        for (int i = 1; i < f.length; i++) {
          String[] range = f[i].split("-");
          long from = Long.parseLong(range[0]);
          long to = range.length > 1 ? Long.parseLong(range[1]) : from;
          for (long id = from; id <= to; id++) {
            out.add(f[0] + ":" + id);
          }
        }
      }
      return out;
    }

    void stepOnce() throws Exception {
      int r = rnd.nextInt(100);
      if (r < 55) {
        write(writers.get(rnd.nextInt(writers.size())));
      } else if (r < 60) {
        switchSchema(writers.get(rnd.nextInt(writers.size())));
      } else if (r < 63) {
        read(writers.get(rnd.nextInt(2)));
      } else if (r < 66) {
        reborrow(writers.get(rnd.nextInt(2)));
      } else if (r < 70) {
        alter();
      } else if (r < 78) {
        Duration d = Duration.ofMillis(1 + rnd.nextInt(60));
        log("advance " + d.toMillis());
        stack.clock().advance(d);
      } else if (r < 97) {
        fault();
      } else {
        failover();
      }
    }

    void ensure(Writer w) throws SQLException {
      if (w.c != null) {
        return;
      }
      w.endTx();
      w.drawn.clear();
      if (w.pooled) {
        w.c = pool.getConnection();
        w.schema = w.c.unwrap(RouterConnection.class).getSchema().toLowerCase(Locale.ROOT);
      } else {
        w.c = primaryConnection(w.name);
        w.schema = "public";
      }
      log(w.name + " connected, schema " + w.schema);
    }

    /** Drops what the writer's lost connection had pending (never acknowledged) and its connection. */
    void lose(Writer w, SQLException e) {
      log(w.name + " lost its connection: " + e.getSQLState() + "/" + e.getErrorCode() + " " + e.getMessage());
      w.endTx();
      w.drawn.clear();
      try {
        if (w.pooled) {
          w.c.rollback();
          w.c.setAutoCommit(true);
        }
      } catch (SQLException ignored) {
        // lost already
      }
      try {
        w.c.close();
      } catch (SQLException ignored) {
        // lost already
      }
      w.c = null;
    }

    String gtidOf(Connection c) throws SQLException {
      if (c instanceof NodeConnection n) {
        return n.lastCommit() == null ? null : n.lastCommit().gtid();
      }
      return c.unwrap(RoutedConnection.class).lastCommitGtid().orElse(null);
    }

    String ref(Writer w, String table) {
      String schema = table.contains(".") ? table.substring(0, table.indexOf('.')) : "public";
      String bare = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
      return schema.equals(w.schema) && rnd.nextBoolean() ? bare : schema + "." + bare;
    }

    String sequence(Writer w) {
      return w.schema.equals("public") && rnd.nextBoolean() ? "ids" : "public.ids";
    }

    /** Keys written by other writers' open transactions: their rows are locked. */
    Set<String> lockedByOthers(Writer w) {
      Set<String> out = new HashSet<>();
      for (Writer o : writers) {
        if (o != w) {
          o.pending.forEach(op -> out.add(op.table() + "#" + op.id()));
        }
      }
      return out;
    }

    /** The state the writer's transaction sees: the model plus its own pending writes. */
    Map<Long, String> view(Writer w, String table) {
      Map<Long, String> m = new TreeMap<>(model.get(table));
      for (Op op : w.pending) {
        if (op.table().equals(table)) {
          if (op.value() == null) {
            m.remove(op.id());
          } else {
            m.put(op.id(), op.value());
          }
        }
      }
      return m;
    }

    void write(Writer w) throws SQLException {
      try {
        ensure(w);
        int r = rnd.nextInt(100);
        if (r < 12 && !w.inTx()) {
          w.c.setAutoCommit(false);
          log(w.name + " begin");
        } else if (r < 22 && w.inTx()) {
          commit(w);
        } else if (r < 27 && w.inTx()) {
          log(w.name + " rollback " + w.pending);
          w.c.rollback();
          w.endTx();
          w.drawn.clear();
          if (rnd.nextBoolean()) {
            w.c.setAutoCommit(true);
          }
        } else if (r < 70) {
          insert(w);
        } else if (r < 90) {
          update(w, false);
        } else if (r < 95) {
          update(w, true);
        } else {
          draw(w); // a read that draws: a write of its own
        }
      } catch (SQLException e) {
        if ("40001".equals(e.getSQLState())) {
          // H2 under SERIALIZABLE (table locks) reports a deadlock and rolls the transaction back; the client
          // rolls back too and nothing of it was acknowledged (seen with seed 86; see the report).
          log(w.name + " deadlock, rolled back " + w.pending + ": " + e.getMessage());
          w.c.rollback();
          w.endTx();
          w.drawn.clear();
          return;
        }
        if (!lost(e)) {
          throw new AssertionError("unexpected error for " + w.name + ", " + where(), e);
        }
        lose(w, e);
      }
    }

    long draw(Writer w) throws SQLException {
      String before = gtidOf(w.c);
      long v;
      try (Statement s = w.c.createStatement();
          ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR " + sequence(w))) {
        rs.next();
        v = rs.getLong(1);
      }
      assertThat(v).as("%s drew %d, at or below what surviving commits logged (%d), %s", w.name, v, floor, where())
          .isGreaterThan(floor);
      drawn(v);
      log(w.name + " drew " + v);
      w.drawn.add(v);
      if (!w.inTx()) {
        acknowledged(w, before, List.of());
      }
      return v;
    }

    /** Every draw runs on the primary of the moment (the router routes it there, direct writers are there). */
    void drawn(long v) {
      maxDrawn.merge(db.primary().name(), v, Math::max);
    }

    void insert(Writer w) throws SQLException {
      String table = TABLES.get(rnd.nextInt(TABLES.size()));
      String value = "v" + token++;
      String before = gtidOf(w.c);
      long id;
      if (w.inTx() && rnd.nextInt(3) == 0) { // the id drawn inside the INSERT, read back in the transaction
        try (Statement s = w.c.createStatement()) {
          s.executeUpdate("INSERT INTO " + ref(w, table) + "(id, v) VALUES (NEXT VALUE FOR " + sequence(w) + ", '"
              + value + "')");
          try (ResultSet rs = s.executeQuery("SELECT id FROM " + ref(w, table) + " WHERE v = '" + value + "'")) {
            assertThat(rs.next()).isTrue();
            id = rs.getLong(1);
          }
        }
        assertThat(id).as("drawn in an INSERT, %s", where()).isGreaterThan(floor);
        drawn(id);
        w.drawn.add(id);
      } else {
        id = draw(w);
        before = gtidOf(w.c);
        try (PreparedStatement p = w.c.prepareStatement("INSERT INTO " + ref(w, table) + "(id, v) VALUES (?, ?)")) {
          p.setLong(1, id);
          p.setString(2, value);
          assertThat(p.executeUpdate()).isEqualTo(1);
        }
      }
      Op op = new Op(table, id, value);
      log(w.name + " insert " + op);
      w.pending.add(op);
      if (!w.inTx()) {
        acknowledged(w, before, List.copyOf(w.pending));
      }
    }

    void update(Writer w, boolean delete) throws SQLException {
      String table = TABLES.get(rnd.nextInt(TABLES.size()));
      Set<String> locked = lockedByOthers(w);
      List<Long> ids = view(w, table).keySet().stream().filter(id -> !locked.contains(table + "#" + id)).toList();
      if (ids.isEmpty()) {
        return;
      }
      long id = ids.get(rnd.nextInt(ids.size()));
      String value = delete ? null : "u" + token++;
      String before = gtidOf(w.c);
      int count;
      if (delete) {
        try (Statement s = w.c.createStatement()) {
          count = s.executeUpdate("DELETE FROM " + ref(w, table) + " WHERE id = " + id);
        }
      } else {
        try (PreparedStatement p = w.c.prepareStatement("UPDATE " + ref(w, table) + " SET v = ? WHERE id = ?")) {
          p.setString(1, value);
          p.setLong(2, id);
          count = p.executeUpdate();
        }
      }
      Op op = new Op(table, id, value);
      log(w.name + (delete ? " delete " : " update ") + op);
      if (count == 0 && w.inTx() && w.c.getTransactionIsolation() >= Connection.TRANSACTION_REPEATABLE_READ) {
        // H2 (bare too): UPDATE and DELETE see the transaction's snapshot, so a row another session committed after
        // it began is not found; InnoDB's would read the latest committed row. Nothing written, nothing pending.
        log(w.name + " did not find it in its snapshot");
        w.touched.add(table);
        return;
      }
      assertThat(count).as("%s %s of an acknowledged row, %s", w.name, op, where()).isEqualTo(1);
      w.pending.add(op);
      if (!w.inTx()) {
        acknowledged(w, before, List.copyOf(w.pending));
      }
    }

    void commit(Writer w) throws SQLException {
      String before = gtidOf(w.c);
      List<Op> ops = List.copyOf(w.pending);
      w.c.commit();
      log(w.name + " commit " + ops);
      acknowledged(w, before, ops);
      if (rnd.nextBoolean()) {
        w.c.setAutoCommit(true);
      }
    }

    /** A commit (or an autocommit statement) returned: its GTID and rows are acknowledged. */
    void acknowledged(Writer w, String gtidBefore, List<Op> ops) throws SQLException {
      String gtid = gtidOf(w.c);
      // Draws alone may leave nothing to log: another session's commit logged the sequence's value meanwhile.
      boolean wrote = !ops.isEmpty();
      if (wrote) {
        assertThat(gtid).as("%s's commit of %s got no GTID, %s", w.name, ops, where()).isNotNull()
            .isNotEqualTo(gtidBefore);
      }
      if (gtid != null && !gtid.equals(gtidBefore)) {
        commits++;
        acked = acked.union(GtidSet.parse(gtid));
        Set<String> keys = new TreeSet<>();
        for (Op op : ops) {
          keys.add(op.table() + "#" + op.id());
          if (op.value() == null) {
            model.get(op.table()).remove(op.id());
          } else {
            model.get(op.table()).put(op.id(), op.value());
          }
        }
        keysOf.put(gtid, keys);
        drawnBefore.put(gtid, maxDrawn.getOrDefault(db.primary().name(), 0L));
        log(w.name + " acknowledged " + gtid + " " + keys);
      }
      w.endTx();
      w.drawn.clear();
    }

    void switchSchema(Writer w) throws SQLException {
      try {
        ensure(w);
        String target = w.schema.equals("public") ? "s2" : "public";
        int how = rnd.nextInt(3);
        try (Statement s = w.c.createStatement()) {
          switch (how) {
            case 0 -> w.c.setSchema(target);
            case 1 -> s.execute("USE " + target);
            default -> s.execute("SET SCHEMA " + target);
          }
        }
        w.schema = target;
        log(w.name + " schema " + target + " by " + List.of("setSchema", "USE", "SET SCHEMA").get(how));
        // HikariCP answers getSchema from what its own setSchema cached; the router underneath must know the truth.
        Connection under = w.pooled ? w.c.unwrap(RouterConnection.class) : w.c;
        assertThat(under.getSchema().toLowerCase(Locale.ROOT)).as("%s's schema, %s", w.name, where()).isEqualTo(target);
      } catch (SQLException e) {
        if (!lost(e)) {
          throw new AssertionError("unexpected error for " + w.name + ", " + where(), e);
        }
        lose(w, e);
      }
    }

    /** An unqualified autocommit read through the router: it must resolve in the session's schema on any node. */
    void read(Writer w) throws SQLException {
      try {
        ensure(w);
        if (w.inTx()) {
          return;
        }
        String bare = w.schema.equals("public") ? "t1" : "t2";
        try (Statement s = w.c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + bare)) {
          rs.next();
        }
        log(w.name + " read " + bare + " on " + w.c.unwrap(RoutedConnection.class).lastNode().orElse("?"));
      } catch (SQLException e) {
        if (!lost(e)) {
          throw new AssertionError("unexpected error for " + w.name + " reading in " + w.schema + ", " + where(), e);
        }
        lose(w, e);
      }
    }

    /** Gives the pooled connection back (HikariCP rolls an open transaction back) and borrows one again. */
    void reborrow(Writer w) throws SQLException {
      if (w.c == null) {
        return;
      }
      log(w.name + " returns its connection, pending " + w.pending + " rolled back");
      w.c.close();
      w.c = null;
      w.endTx();
      w.drawn.clear();
      try {
        ensure(w);
        if (rnd.nextBoolean()) {
          int level = rnd.nextBoolean() ? Connection.TRANSACTION_SERIALIZABLE : Connection.TRANSACTION_REPEATABLE_READ;
          w.c.setTransactionIsolation(level);
          log(w.name + " isolation " + level);
        }
      } catch (SQLException e) {
        if (!lost(e)) {
          throw new AssertionError(where(), e);
        }
        lose(w, e);
      }
    }

    /** ALTER TABLE on a second thread while the writers' transactions on the table are open; they end, it runs. */
    void alter() throws Exception {
      String table = TABLES.get(rnd.nextInt(TABLES.size()));
      List<String> added = addedColumns.get(table);
      boolean drop = !added.isEmpty() && rnd.nextInt(3) == 0;
      String column = drop ? added.get(added.size() - 1) : "c" + columns++;
      try {
        if (ddl == null) {
          ddl = primaryConnection("ddl");
          try (Statement s = ddl.createStatement()) {
            s.execute("SET LOCK_TIMEOUT 10000");
          }
        }
        String bare = table.contains(".") ? "t2" : "t1";
        String schema = table.contains(".") ? "s2" : "public";
        try (Statement s = ddl.createStatement()) {
          s.execute("SET SCHEMA " + schema); // the DDL resolves its unqualified name here, on every node
        }
        String sql = drop ? "ALTER TABLE " + bare + " DROP COLUMN " + column
            : "ALTER TABLE " + bare + " ADD COLUMN " + column + " INT DEFAULT " + columns;
        log("ddl " + sql + " with open " + openOn(table));
        String before = gtidOf(ddl);
        Connection c = ddl;
        Future<Boolean> running = ddlThread.submit(() -> c.createStatement().execute(sql));
        try {
          running.get(20, TimeUnit.MILLISECONDS);
        } catch (TimeoutException waiting) {
          // it waits for the open transactions, as MySQL's metadata lock makes it
        }
        for (Writer w : writers) {
          if (w.c != null && w.holds(table)) {
            try {
              if (rnd.nextBoolean()) {
                commit(w);
              } else {
                log(w.name + " rollback " + w.pending);
                w.c.rollback();
                w.endTx();
                w.drawn.clear();
              }
            } catch (SQLException e) {
              if (!lost(e)) {
                throw new AssertionError(where(), e);
              }
              lose(w, e);
            }
          }
        }
        try {
          running.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof SQLException se) {
            throw se;
          }
          throw e;
        }
        alters++;
        if (drop) {
          added.remove(column);
        } else {
          added.add(column);
        }
        String gtid = gtidOf(ddl);
        assertThat(gtid).as("the ALTER's GTID, %s", where()).isNotNull().isNotEqualTo(before);
        acked = acked.union(GtidSet.parse(gtid));
        keysOf.put(gtid, Set.of());
        log("ddl acknowledged " + gtid);
      } catch (SQLException e) {
        if (!lost(e)) {
          throw new AssertionError("unexpected DDL error, " + where(), e);
        }
        log("ddl lost its connection: " + e.getMessage());
        try {
          ddl.close();
        } catch (SQLException ignored) {
          // lost
        }
        ddl = null;
        // Whether the column came is unknown to the client; read the primary's shape when it matters.
        added.clear();
        added.addAll(columnsOf(table));
      }
    }

    List<String> openOn(String table) {
      List<String> out = new ArrayList<>();
      for (Writer w : writers) {
        if (w.holds(table)) {
          out.add(w.name);
        }
      }
      return out;
    }

    List<String> columnsOf(String table) throws SQLException {
      List<String> out = new ArrayList<>();
      if (!db.primary().isRunning()) {
        return out;
      }
      String schema = table.contains(".") ? "s2" : "public";
      String bare = table.contains(".") ? "t2" : "t1";
      try (Connection c = primaryConnection("shape"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE LOWER(TABLE_SCHEMA) = '" + schema
              + "' AND LOWER(TABLE_NAME) = '" + bare + "' AND LOWER(COLUMN_NAME) LIKE 'c%' ORDER BY ORDINAL_POSITION")) {
        while (rs.next()) {
          out.add(rs.getString(1).toLowerCase(Locale.ROOT));
        }
      }
      return out;
    }

    // ---- faults

    List<Replica> replicas() {
      return db.replicas();
    }

    boolean cut(String a, String b) {
      return cuts.contains(Set.of(a, b));
    }

    /** A replica that cannot acknowledge: down, receiver not running, or cut off from the primary. */
    boolean impaired(Replica r) {
      return !r.node().isRunning() || !r.status().receiverState().equals("Yes")
          || cut(r.node().name(), db.primary().name());
    }

    long impairedCount() {
      return replicas().stream().filter(this::impaired).count();
    }

    void fault() throws SQLException {
      List<Replica> rs = replicas();
      Replica r = rs.get(rnd.nextInt(rs.size()));
      String name = r.node().name();
      // Semi-sync: one failure at a time, so a replica can always acknowledge (a commit would wait on the clock).
      // A cut between two replicas counts too: a failover can promote one of them, which leaves the other cut off
      // (seed 274: one such cut, then one to the primary, then a failover left no replica able to acknowledge).
      boolean mayImpair = !semiSync || impairedCount() == 0 && cuts.isEmpty();
      int k = rnd.nextInt(13);
      switch (k) {
        case 0 -> {
          if (mayImpair && r.node().isRunning()) {
            log("kill " + name);
            r.node().kill();
          }
        }
        case 1, 2 -> {
          if (!r.node().isRunning()) {
            log("restart " + name);
            r.node().restart();
          }
        }
        case 3 -> {
          log("stopApplier " + name);
          r.stopApplier();
        }
        case 4 -> {
          log("startApplier " + name);
          r.startApplier();
        }
        case 5 -> {
          if (mayImpair && r.node().isRunning()) {
            log("stopReceiver " + name);
            r.stopReceiver();
          }
        }
        case 6 -> {
          log("startReceiver " + name);
          r.startReceiver();
        }
        case 7 -> {
          if (mayImpair && !cut(name, db.primary().name())) {
            log("partition " + db.primary().name() + " " + name);
            db.partition(db.primary().name(), name);
            cuts.add(Set.of(db.primary().name(), name));
          }
        }
        case 8 -> {
          if (!cuts.isEmpty()) {
            Set<String> c = cuts.iterator().next();
            List<String> pair = new ArrayList<>(new TreeSet<>(c));
            log("heal " + pair);
            db.heal(pair.get(0), pair.get(1));
            cuts.remove(c);
          }
        }
        case 9 -> {
          Duration d = Duration.ofMillis(rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(40));
          log("applyDelay " + name + " " + d.toMillis());
          r.applyDelay(d);
        }
        case 10 -> {
          if (!semiSync) {
            Duration d = Duration.ofMillis(rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(40));
            log("shipDelay " + name + " " + d.toMillis());
            r.shipDelay(d);
          }
        }
        case 11 -> {
          if (r.node().isRunning() && rnd.nextInt(3) == 0) {
            log("rebuild " + name);
            db.rebuild(name);
          }
        }
        default -> {
          if (rnd.nextBoolean()) {
            log("pause " + name);
            if (mayImpair) {
              r.pause();
            }
          } else {
            log("resume " + name);
            r.resume();
          }
        }
      }
    }

    void failover() throws Exception {
      DatabaseNode old = db.primary();
      if (replicas().stream().noneMatch(r -> r.node().isRunning())) {
        return;
      }
      if (semiSync && replicas().stream().allMatch(this::impaired)) {
        return;
      }
      Map<String, GtidSet> executedBefore = new LinkedHashMap<>();
      for (DatabaseNode n : db.nodes()) {
        executedBefore.put(n.name(), ((H2Database) n).executedGtids());
      }
      log("kill primary " + old.name());
      old.kill();
      FailoverReport report = db.failover();
      failovers++;
      log(report.toString() + " errant " + report.errant());
      GtidSet executedNew = ((H2Database) db.primary()).executedGtids();

      // Exactly the acknowledged GTIDs the new primary lacks, each reported once.
      GtidSet lostNow = acked.subtract(executedNew).subtract(reported);
      assertThat(report.lostAcknowledged()).as("lost acknowledged by %s, %s", report, where()).isEqualTo(lostNow);
      if (semiSync) {
        assertThat(lostNow.isEmpty()).as("semi-sync lost %s, %s", lostNow, where()).isTrue();
      }
      reported = reported.union(report.lostAcknowledged());
      assertThat(db.lostAcknowledged()).as("cumulative, %s", where()).isEqualTo(acked.subtract(executedNew));

      // The lost rows are those the lost transactions wrote, no more, no fewer.
      Set<String> expectedKeys = new TreeSet<>();
      for (Map.Entry<String, Set<String>> e : keysOf.entrySet()) {
        GtidSet g = GtidSet.parse(e.getKey());
        if (report.lostAcknowledged().containsAll(g)) {
          expectedKeys.addAll(e.getValue());
        }
      }
      Set<String> reportedNow = new TreeSet<>();
      for (String t : TABLES) {
        report.lostKeys(t).forEach(k -> reportedNow.add(t + "#" + k));
      }
      assertThat(reportedNow).as("lost rows of %s, %s", report, where()).isEqualTo(expectedKeys);
      reportedKeys.addAll(reportedNow);

      // Every acknowledged row the new primary does not show as acknowledged was reported lost.
      Map<String, Map<Long, String>> actual = state(db.primary().name());
      for (String t : TABLES) {
        Set<Long> ids = new TreeSet<>(model.get(t).keySet());
        ids.addAll(actual.get(t).keySet());
        for (long id : ids) {
          if (!java.util.Objects.equals(model.get(t).get(id), actual.get(t).get(id))) {
            assertThat(reportedKeys).as("%s#%d differs (acknowledged %s, now %s) unreported, %s", t, id,
                model.get(t).get(id), actual.get(t).get(id), where()).contains(t + "#" + id);
          }
        }
        model.put(t, new TreeMap<>(actual.get(t)));
      }

      // Replicas' errant transactions: what they executed and the new primary did not.
      for (DatabaseNode n : db.nodes()) {
        if (n.name().equals(old.name()) || n.name().equals(report.newPrimary())) {
          continue;
        }
        GtidSet errant = ((H2Database) n).executedGtids().subtract(executedNew);
        GtidSet said = report.errant().getOrDefault(n.name(), GtidSet.empty());
        assertThat(said).as("errant of %s in %s, %s", n.name(), report, where()).isEqualTo(errant);
        if (semiSync) {
          assertThat(errant.isEmpty()).as("semi-sync errant on %s, %s", n.name(), where()).isTrue();
        }
      }

      // The sequence: later draws must be above every value a surviving commit logged (values only lost commits
      // logged may come again after an async loss, as AUTO_INCREMENT values do).
      floor = 0;
      for (Map.Entry<String, Long> e : drawnBefore.entrySet()) {
        if (executedNew.containsAll(GtidSet.parse(e.getKey()))) {
          floor = Math.max(floor, e.getValue());
        }
      }
      log("sequence floor " + floor);
      maxDrawn.put(report.newPrimary(), floor); // where the promoted node's sequence stands (it drew nothing itself)

      // The old primary comes back: rejoined when it has nothing errant, else rejoined then rebuilt.
      old.restart();
      GtidSet errantOld = ((H2Database) old).executedGtids().subtract(executedNew);
      GtidSet rejoined = db.rejoin(old.name());
      log("rejoin " + old.name() + " errant " + rejoined);
      assertThat(rejoined).as("rejoin's errant of %s, %s", old.name(), where()).isEqualTo(errantOld);
      if (semiSync) {
        assertThat(rejoined.isEmpty()).as("semi-sync errant on the old primary, %s", where()).isTrue();
      }
      if (!rejoined.isEmpty()) {
        log("rebuild " + old.name());
        db.rebuild(old.name());
      }
      for (DatabaseNode n : db.nodes()) {
        if (!n.name().equals(db.primary().name())
            && !((H2Database) n).executedGtids().subtract(executedNew).isEmpty()) {
          if (!n.isRunning()) { // a down replica with errant transactions: rebuilt before it applies anything
            n.restart();
          }
          log("rebuild errant " + n.name());
          db.rebuild(n.name());
        }
      }
      // A lost ALTER took its column with it: the new primary's shape is what the next DDL works on.
      for (String t : TABLES) {
        addedColumns.get(t).clear();
        addedColumns.get(t).addAll(columnsOf(t));
      }
      // Writers' direct connections were to the old primary: they fail with 08S01 on their next call.
    }

    Map<String, Map<Long, String>> state(String node) throws SQLException {
      Map<String, List<List<Object>>> content = db.content(node);
      Map<String, Map<Long, String>> out = new HashMap<>();
      for (String t : TABLES) {
        Map<Long, String> m = new TreeMap<>();
        for (List<Object> row : content.getOrDefault(t, List.of())) {
          m.put(((Number) row.get(0)).longValue(), (String) row.get(1));
        }
        out.put(t, m);
      }
      return out;
    }

    // ---- the end

    void endOpenTransactions() throws SQLException {
      for (Writer w : writers) {
        try {
          if (w.inTx()) {
            commit(w);
          }
        } catch (SQLException e) {
          if (!lost(e)) {
            throw new AssertionError(where(), e);
          }
          lose(w, e);
        }
      }
    }

    void finalChecks() throws Exception {
      for (Set<String> c : cuts) {
        List<String> pair = new ArrayList<>(new TreeSet<>(c));
        db.heal(pair.get(0), pair.get(1));
      }
      cuts.clear();
      for (Replica r : replicas()) {
        if (!r.node().isRunning()) {
          r.node().restart();
        }
        r.shipDelay(Duration.ZERO);
        r.applyDelay(Duration.ZERO);
        r.resume();
        r.startReceiver();
        r.startApplier();
      }
      stack.clock().advance(Duration.ofMillis(100));
      for (Replica r : replicas()) {
        // Documented: a replica whose source is a rebuild's clone and lacks part of what the clone holds stops with
        // 13114 (MySQL's 1236, purged binary logs); rebuild provisions it anew.
        if (r.status().lastErrno() == 13114) {
          log("rebuild after 13114 " + r.node().name());
          db.rebuild(r.node().name());
        }
      }
      for (int i = 0; i < 100 && !db.isConverged(); i++) {
        stack.clock().advance(Duration.ofMillis(100));
      }
      String primary = db.primary().name();
      assertThat(db.isConverged()).as("converged: %s, %s", db.status(), where()).isTrue();
      Map<String, List<List<Object>>> expected = SqlShapesReplicationTest.comparable(db.content(primary));
      GtidSet executedPrimary = ((H2Database) db.primary()).executedGtids();
      for (DatabaseNode n : db.nodes()) {
        assertThat(SqlShapesReplicationTest.comparable(db.content(n.name())))
            .as("%s's content against %s, %s", n.name(), primary, where()).isEqualTo(expected);
        assertThat(((H2Database) n).executedGtids().subtract(executedPrimary).isEmpty())
            .as("errant on %s, %s", n.name(), where()).isTrue();
      }
      Map<String, Map<Long, String>> actual = state(primary);
      for (String t : TABLES) {
        assertThat(actual.get(t)).as("%s against the acknowledged writes, %s", t, where()).isEqualTo(model.get(t));
      }
      // A value of the sequence is in one row at most.
      Set<Long> ids = new HashSet<>();
      for (String t : TABLES) {
        for (long id : actual.get(t).keySet()) {
          assertThat(ids.add(id)).as("id %d twice, %s", id, where()).isTrue();
        }
      }
      assertThat(db.lostAcknowledged()).as("%s", where()).isEqualTo(acked.subtract(executedPrimary));
      assertThat(db.lostAcknowledged()).isEqualTo(reported);
      if (semiSync) {
        assertThat(db.lostAcknowledged().isEmpty()).as("%s", where()).isTrue();
        assertThat(db.semiSyncFallbacks()).as("%s", where()).isEmpty();
      }
    }

    void closeClients() {
      for (Writer w : writers) {
        if (w.c != null) {
          try {
            w.c.close();
          } catch (SQLException ignored) {
            // lost
          }
          w.c = null;
        }
      }
      if (ddl != null) {
        try {
          ddl.close();
        } catch (SQLException ignored) {
          // lost
        }
        ddl = null;
      }
      if (pool != null) {
        pool.close();
      }
    }

    int openConnections() throws Exception {
      Field open = H2Database.class.getDeclaredField("open");
      open.setAccessible(true);
      int n = 0;
      for (DatabaseNode node : db.nodes()) {
        n += ((Set<?>) open.get(node)).size();
      }
      return n;
    }

    void awaitNoNewThreads(Set<Thread> before) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      List<Thread> left;
      do {
        left = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && !before.contains(t))
            .filter(t -> !t.getName().startsWith("ForkJoinPool.commonPool"))
            .toList();
        if (left.isEmpty()) {
          return;
        }
        for (Thread t : left) {
          try {
            t.join(10); // bounded wait for the thread to end, not a sleep
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        }
      } while (System.nanoTime() < deadline);
      assertThat(left).as("threads left after close, seed %d", seed).isEmpty();
    }
  }
}

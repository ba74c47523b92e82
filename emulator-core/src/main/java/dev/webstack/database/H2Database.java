package dev.webstack.database;

import dev.webstack.DatabaseNode;
import dev.webstack.DatabaseSpec;
import dev.webstack.database.internal.CaptureEngine;
import dev.webstack.database.internal.Identity;
import dev.webstack.internal.AbstractNode;
import dev.webstack.internal.DataSourceBase;
import dev.webstack.internal.NodeContext;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.schema.Sequence;
import org.h2.tools.RunScript;
import org.h2.value.Value;

/**
 * A database node (MySQL's role): an H2 in-memory database in MySQL mode, named uniquely per stack so parallel
 * stacks never share one. A stack's database is a primary ({@code db-1}) and zero or more replicas ({@code db-2},
 * ...), each a node of its own on its own host; see {@link DatabaseCluster} for replication.
 *
 * <p>Killing the node models a crashed server whose disk survives: the data stays, new connections fail with
 * SQLState 08S01 and open ones are closed. A restart accepts connections again with the data as committed. In a
 * replicated database a restarted node comes back read-only ({@code super_read_only}, as the MySQL practice of
 * putting it in {@code my.cnf} does): only a failover, or {@link DatabaseCluster#setReadOnly}, makes one writable.
 * The database itself is dropped only when the stack closes.
 *
 * <p>Each node has a {@code server_uuid} derived from its name, a binary log of the transactions it executed
 * (its own and, like {@code log_replica_updates=ON}, those it applied with their original GTIDs) and its
 * {@code gtid_executed}. Thread-safe.
 */
public final class H2Database extends AbstractNode implements DatabaseNode {

  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final org.h2.Driver DRIVER = org.h2.Driver.load();

  private final DatabaseSpec spec;
  private final ReplicationCluster cluster;
  private final String url;
  private final String serverUuid;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final DataSource dataSource = new NetworkDataSource();
  private Connection keeper;
  private volatile boolean accepting;
  private volatile DatabaseRole role;
  private volatile boolean readOnly;
  private volatile boolean superReadOnly;
  private volatile ReplicaChannel channel;
  private volatile Map<String, TableInfo> tables = Map.of();
  /** The user's sequences ({@code CREATE SEQUENCE}), read with the tables' shape. */
  private volatile List<Sequence> sequences = List.of();
  /**
   * The value last logged per sequence ({@link #addSequenceEvents}, under {@link #log}); read without it by
   * {@link #sequencesMoved}. Holds only the sequences of {@link #sequences}: a sequence dropped and created again
   * is a new object, which H2 may give the old one's id (its equality).
   */
  private final Map<Sequence, Long> sequencesLogged = new ConcurrentHashMap<>();

  /** Guards the binary log, the next transaction id and the GTID sets; held briefly. */
  private final Object log = new Object();
  private final ArrayList<BinlogTx> binlog = new ArrayList<>();
  /** Entries purged from the front of {@link #binlog}: the position of its first entry. */
  private long purged;
  private long nextId = 1;
  private final GtidSet.Mutable executed = new GtidSet.Mutable();
  private final GtidSet.Mutable acked = new GtidSet.Mutable();
  /**
   * {@code gtid_purged}: what this node executed that its log no longer holds (purged, or a rebuild's clone). A
   * receiver that lacks any of it cannot fetch it here ({@link ReplicaChannel}: error 1236).
   */
  private final GtidSet.Mutable purgedGtids = new GtidSet.Mutable();

  H2Database(NodeContext context, DatabaseSpec spec, ReplicationCluster cluster, DatabaseRole role) {
    super(context, spec);
    this.spec = spec;
    this.cluster = cluster;
    this.role = role;
    this.readOnly = role == DatabaseRole.REPLICA;
    this.superReadOnly = role == DatabaseRole.REPLICA;
    this.serverUuid = UUID.nameUUIDFromBytes(("webstack:" + spec.name()).getBytes(StandardCharsets.UTF_8)).toString();
    String unique = "webstack-" + context.stackName() + "-" + spec.name() + "-" + SEQUENCE.incrementAndGet();
    this.url = "jdbc:h2:mem:" + unique
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"
        + (cluster.replicated() ? CaptureEngine.URL_SETTING : ""); // an unreplicated database captures nothing
  }

  // ---- lifecycle

  @Override
  protected void up() throws SQLException {
    if (keeper == null) {
      keeper = DRIVER.connect(url, new Properties());
      if (role == DatabaseRole.PRIMARY) {
        runSchema();
        if (cluster.replicated()) {
          refreshTables(keeper);
          cluster.baseline(script(keeper), tables);
        }
      } else {
        // Like a replica provisioned from a backup of the primary: same data, same capturing tables.
        try (Statement s = keeper.createStatement()) {
          for (String statement : cluster.baseline()) {
            s.execute(statement);
          }
        }
        tables = cluster.baselineTables();
        sequences = Identity.userSequences(keeper); // this node's own: it logs their moves once promoted
      }
    } else if (cluster.replicated()) {
      readOnly = true;
      superReadOnly = true;
      if (dropInterruptedCommits()) {
        cluster.logRewritten(this);
      }
    }
    accepting = true;
    ReplicaChannel c = channel;
    if (c != null) {
      c.nodeUp();
    }
  }

  private void runSchema() throws SQLException {
    if (spec.schemaSql().isPresent()) {
      try {
        RunScript.execute(keeper, new StringReader(spec.schemaSql().get()));
      } catch (SQLException e) {
        throw new SQLException(
            "schema " + spec.schema().orElseThrow() + " of " + name() + " failed: " + e.getMessage(),
            e.getSQLState(), e);
      }
    }
  }

  /** The database as {@code SCRIPT} writes it: what a replica starts from, like a clone of the primary. */
  private static List<String> script(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SCRIPT NOPASSWORDS NOSETTINGS")) {
      while (rs.next()) {
        String line = rs.getString(1);
        if (!line.startsWith("CREATE USER") && !line.startsWith("--")) {
          out.add(line);
        }
      }
    }
    return out;
  }

  @Override
  protected void down() throws SQLException {
    accepting = false;
    SQLException failure = null;
    for (Connection c : open) {
      try {
        c.close();
      } catch (SQLException e) {
        failure = failure == null ? e : addSuppressed(failure, e);
      }
    }
    open.clear();
    ReplicaChannel c = channel;
    if (c != null) {
      c.nodeDown();
    }
    cluster.nodeDown(this);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  protected void release() throws SQLException {
    ReplicaChannel c = channel;
    if (c != null) {
      c.close();
    }
    if (keeper != null) {
      synchronized (keeper) {
        try (Statement s = keeper.createStatement()) {
          s.execute("SHUTDOWN");
        } finally {
          keeper.close();
          keeper = null;
        }
      }
    }
  }

  private static SQLException addSuppressed(SQLException first, SQLException next) {
    first.addSuppressed(next);
    return first;
  }

  // ---- public view

  @Override
  public InetSocketAddress address() {
    return new InetSocketAddress(context.loopback(), 0);
  }

  @Override
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public String jdbcUrl() {
    return url;
  }

  /** This node's {@code server_uuid}, derived from its name. */
  public String serverUuid() {
    return serverUuid;
  }

  public DatabaseRole role() {
    return role;
  }

  /** {@code @@read_only}. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** {@code @@super_read_only}. */
  public boolean isSuperReadOnly() {
    return superReadOnly;
  }

  /** {@code @@gtid_executed}: every transaction this node committed or applied. */
  public GtidSet executedGtids() {
    synchronized (log) {
      return executed.snapshot();
    }
  }

  /**
   * Opens a connection from component {@code clientNodeName} (an application server, say) to this node: the one
   * place where client connections to the node are made, so that faults on the link between the two can act
   * here. Fails with SQLState 08S01 while the node is down.
   */
  public Connection openConnection(String clientNodeName) throws SQLException {
    return openConnection(clientNodeName, null);
  }

  NodeConnection openConnection(String clientNodeName, NodeConnection.CommitListener listener) throws SQLException {
    if (!accepting) {
      throw unreachable();
    }
    Connection raw = DRIVER.connect(url + ";IFEXISTS=TRUE", new Properties());
    open.add(raw);
    if (!accepting) { // killed while connecting
      open.remove(raw);
      raw.close();
      throw unreachable();
    }
    return new NodeConnection(this, raw, clientNodeName, listener, cluster.replicated());
  }

  SQLException unreachable() {
    return new SQLNonTransientConnectionException(
        String.format(
            "Communications link failure: cannot reach %s at %s:%d on host %s, which is down",
            name(), host().address(), modeledPort(), host().name()),
        "08S01");
  }

  void forget(Connection raw) {
    open.remove(raw);
  }

  // ---- read-only

  void checkWritable() throws SQLException {
    if (superReadOnly) {
      throw new SQLException(
          "The MySQL server is running with the --super-read-only option so it cannot execute this statement",
          "HY000", 1290);
    }
    if (readOnly) {
      throw new SQLException(
          "The MySQL server is running with the --read-only option so it cannot execute this statement",
          "HY000", 1290);
    }
  }

  void setReadOnly(boolean readOnly, boolean superReadOnly) {
    boolean wasWritable = isWritable();
    // MySQL: super_read_only=ON forces read_only=ON; read_only=OFF forces super_read_only=OFF.
    this.readOnly = readOnly || superReadOnly;
    this.superReadOnly = superReadOnly && this.readOnly;
    if (!wasWritable && isWritable()) {
      sequencesFromTheLog();
    }
  }

  /**
   * On becoming writable (a promotion, {@code setReadOnly(node, false)}): the sequences' values so far count as
   * logged. Why: while read-only, only the applier moved them, to values it read from the log, which every other
   * node gets from the log too; with nothing recorded, the first commit of any session after a promotion, a plain
   * read included, logged them again as a transaction of the new primary's own, a GTID no client wrote that an async
   * failover then reported among the lost acknowledged writes.
   */
  private void sequencesFromTheLog() {
    synchronized (log) {
      for (Sequence s : sequences) {
        Long value = Identity.lastValue(s);
        if (value != null) {
          sequencesLogged.put(s, value);
        } else {
          sequencesLogged.remove(s);
        }
      }
    }
  }

  boolean isWritable() {
    return !readOnly && !superReadOnly;
  }

  void role(DatabaseRole role) {
    this.role = role;
  }

  ReplicaChannel channel() {
    return channel;
  }

  void channel(ReplicaChannel channel) {
    this.channel = channel;
  }

  // ---- the binary log

  /**
   * Commits a client transaction in MySQL's AFTER_SYNC order: GTID and binary log, shipping to the replicas, the
   * semi-sync wait for an acknowledgement, then H2's commit. Returns the logged transaction, or null when {@code
   * events} was empty and held only the sequence moves another commit logged meanwhile: then H2 commits and nothing
   * is logged (no GTID).
   */
  BinlogTx commit(NodeConnection connection, List<Object> events) throws SQLException {
    BinlogTx tx;
    synchronized (log) {
      addSequenceEvents(events);
      if (events.isEmpty()) { // a sequence moved, but another commit logged it meanwhile
        tx = null;
      } else {
        tx = new BinlogTx(serverUuid, nextId++, context.clock().nanoTime(), events);
        binlog.add(tx);
      }
    }
    if (tx == null) {
      EngineCommit.commit(connection.rawConnection());
      return null;
    }
    cluster.shipped(this);
    cluster.awaitAck(this, tx);
    EngineCommit.commit(connection.rawConnection());
    synchronized (log) {
      executed.add(serverUuid, tx.id());
      acked.add(serverUuid, tx.id());
    }
    cluster.committed(this);
    return tx;
  }

  /** How long a DDL waits, outside the log's monitor, before it tries again to take the locks it needs. */
  private static final long DDL_LOCK_RETRY_NANOS = 1_000_000;

  /**
   * Runs a DDL statement of a client and logs it as a statement event, and reads the tables' shape again.
   *
   * <p>The statement runs under the log's monitor, so that no commit is logged between its execution and its
   * entry (a row of the new shape logged before the DDL would reach replicas before it). But it never waits for an
   * H2 lock there: it runs with a lock timeout of 0 and, when a table it needs is locked, leaves the monitor for a
   * moment and tries again, until the session's own lock timeout ({@code SET LOCK_TIMEOUT}, 2 s by default) has
   * passed, which then fails it with H2's lock timeout. Why: the transaction holding the lock needs the monitor to
   * log its commit, so an {@code ALTER TABLE} on a table with an open transaction used to hold the monitor while
   * waiting for that transaction, which could not commit until the ALTER timed out. In MySQL the ALTER waits for its
   * metadata lock and the open transaction commits first, as it does here now.
   */
  BinlogTx runDdl(NodeConnection connection, String sql, NodeConnection.SqlCall<?> call) throws SQLException {
    BinlogTx tx;
    Connection raw = connection.rawConnection();
    String schema = raw.getSchema(); // where unqualified names in the statement resolve
    SessionLocal session = (SessionLocal) raw.unwrap(JdbcConnection.class).getSession(); // embedded H2
    int lockTimeout = session.getLockTimeout();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lockTimeout);
    session.setLockTimeout(0);
    try {
      while ((tx = tryDdl(raw, sql, schema, call, deadline)) == null) {
        LockSupport.parkNanos(DDL_LOCK_RETRY_NANOS); // the lock's holder may log its commit meanwhile
      }
    } finally {
      session.setLockTimeout(lockTimeout);
    }
    cluster.shipped(this);
    cluster.awaitAck(this, tx);
    synchronized (log) {
      executed.add(serverUuid, tx.id());
      acked.add(serverUuid, tx.id());
    }
    cluster.committed(this);
    return tx;
  }

  /**
   * One try of {@link #runDdl} under the log's monitor: the logged entry, or null when a lock was not free and
   * {@code deadline} allows another try.
   */
  private BinlogTx tryDdl(Connection raw, String sql, String schema, NodeConnection.SqlCall<?> call, long deadline)
      throws SQLException {
    synchronized (log) { // keeps the DDL and its position in the log together
      try {
        call.run();
      } catch (SQLException e) {
        if (e.getErrorCode() == ErrorCode.LOCK_TIMEOUT_1 && System.nanoTime() - deadline < 0) {
          return null;
        }
        throw e;
      }
      raw.commit();
      if (cluster.replicated()) { // as at start: an unreplicated primary captures nothing
        refreshTables(raw);
      }
      BinlogTx tx = new BinlogTx(serverUuid, nextId++, context.clock().nanoTime(),
          List.of(new BinlogTx.StatementEvent(sql, schema)));
      binlog.add(tx);
      return tx;
    }
  }

  /**
   * On a restart after a kill: the node's own transactions that a kill interrupted after they were logged. A DML
   * commit interrupted so was never committed by H2 here (the kill closed its session), so it leaves the log, as if
   * the crash had lost the log's tail; a DDL ran and committed before it was logged, so it counts as executed. True
   * when the log changed.
   *
   * <p>Why: such a transaction stayed in the log while the node lacked its rows, and once the node was a source
   * again (rejoined, then promoted) its replicas fetched it from there and applied rows the primary never had, with
   * {@code isConverged()} true. The replicas that fetched it before the kill keep it; when this node is their
   * source again it shows as their errant transaction instead.
   */
  private boolean dropInterruptedCommits() {
    synchronized (log) {
      boolean changed = false;
      for (java.util.Iterator<BinlogTx> it = binlog.iterator(); it.hasNext(); ) {
        BinlogTx tx = it.next();
        if (tx.uuid().equals(serverUuid) && !executed.contains(serverUuid, tx.id())) {
          boolean ddl = tx.events().size() == 1 && tx.events().get(0) instanceof BinlogTx.StatementEvent;
          if (ddl) {
            executed.add(serverUuid, tx.id());
          } else {
            it.remove();
            changed = true;
          }
        }
      }
      return changed;
    }
  }

  /**
   * True when a user's sequence has handed out a value since this node last logged it: a commit with no rows
   * ({@code SELECT NEXT VALUE FOR s}) must still be logged. False at once when the database has no sequence, and
   * on a read-only node: there the applier moves the sequences, and a client's read committing them would log an
   * errant transaction of the replica's own.
   */
  boolean sequencesMoved() {
    List<Sequence> all = sequences;
    if (all.isEmpty() || !isWritable()) {
      return false;
    }
    for (Sequence s : all) {
      Long value = Identity.lastValue(s);
      if (value != null && !value.equals(sequencesLogged.get(s))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Appends a {@link BinlogTx.SequenceEvent} for every user sequence that handed out a value since this node last
   * logged one. Why: sequences are not rows, so the capture does not see them, and a promoted replica's sequence
   * started where its own stood, handing out again the values the old primary had given to rows the replica holds.
   * Caller holds the log's monitor.
   */
  private void addSequenceEvents(List<Object> events) {
    List<Sequence> all = sequences;
    if (all.isEmpty() || !isWritable()) {
      return;
    }
    for (Sequence s : all) {
      Long value = Identity.lastValue(s);
      if (value != null && !value.equals(sequencesLogged.put(s, value))) {
        events.add(new BinlogTx.SequenceEvent(s.getSchema().getName(), s.getName(), value));
      }
    }
  }

  /** Records a transaction the applier committed, keeping its original GTID ({@code log_replica_updates}). */
  void applied(BinlogTx tx) {
    synchronized (log) {
      binlog.add(tx);
      executed.add(tx.uuid(), tx.id());
    }
  }

  boolean hasExecuted(String uuid, long id) {
    synchronized (log) {
      return executed.contains(uuid, id);
    }
  }

  boolean hasExecutedAll(GtidSet set) {
    synchronized (log) {
      return executed.containsAll(set);
    }
  }

  GtidSet ackedGtids() {
    synchronized (log) {
      return acked.snapshot();
    }
  }

  /** {@code gtid_purged}. */
  GtidSet purgedGtids() {
    synchronized (log) {
      return purgedGtids.snapshot();
    }
  }

  /**
   * Log entries by position: {@code start} is the position of the first of {@code txs}. Positions count every entry
   * this node ever logged, purged ones included, so they stay valid across a purge.
   */
  record LogSlice(long start, List<BinlogTx> txs) {}

  /** The log entries from position {@code index} on (from the oldest kept one when that was purged), copied. */
  LogSlice binlogFrom(long index) {
    synchronized (log) {
      int from = (int) Math.max(0, index - purged);
      int size = binlog.size();
      long start = purged + from;
      if (from >= size) {
        return new LogSlice(start, List.of());
      }
      return new LogSlice(start,
          from == size - 1 ? List.of(binlog.get(from)) : new ArrayList<>(binlog.subList(from, size)));
    }
  }

  /** The position after the last entry. */
  long binlogEnd() {
    synchronized (log) {
      return purged + binlog.size();
    }
  }

  /** Entries kept in memory now. */
  int binlogRetained() {
    synchronized (log) {
      return binlog.size();
    }
  }

  /**
   * Drops the oldest entries that every other node of the cluster has executed (nodes detached by a failover
   * excepted: they come back only by a rebuild, which copies data, not log), as MySQL purges binary logs no replica
   * still needs. What a failover can report lost (not executed on the new primary) and what a stopped, lagging or
   * killed replica still has to fetch is kept. Without it the log, and the replication status that scans it, grow
   * with every write for the stack's life.
   */
  void purgeExecutedEverywhere(List<GtidSet> others) {
    synchronized (log) {
      int n = 0;
      for (BinlogTx tx : binlog) {
        boolean everywhere = true;
        for (GtidSet g : others) {
          if (!g.contains(tx.uuid(), tx.id())) {
            everywhere = false;
            break;
          }
        }
        if (!everywhere) {
          break;
        }
        n++;
      }
      if (n > 0) {
        for (BinlogTx tx : binlog.subList(0, n)) {
          purgedGtids.add(tx.uuid(), tx.id());
        }
        binlog.subList(0, n).clear();
        purged += n;
      }
    }
  }

  /** Forgets everything for a rebuild: the data is replaced by a clone of {@code source}'s. */
  void rebuildFrom(H2Database source) throws SQLException {
    List<String> script;
    GtidSet sourceExecuted;
    synchronized (source.log) { // nothing commits on the source while it is copied
      synchronized (source.keeper) {
        script = script(source.keeper);
      }
      sourceExecuted = source.executed.snapshot();
    }
    synchronized (keeper) {
      try (Statement s = keeper.createStatement()) {
        s.execute("DROP ALL OBJECTS");
        for (String statement : script) {
          s.execute(statement);
        }
      }
      refreshTables(keeper);
    }
    synchronized (log) {
      purged += binlog.size(); // positions stay monotonic for anything that still reads this log
      binlog.clear();
      executed.clear();
      executed.addAll(sourceExecuted);
      purgedGtids.clear();
      purgedGtids.addAll(sourceExecuted); // the clone's gtid_purged: none of it is in this node's log
      // acked stays: what this node once acknowledged to clients is history that lost-write accounting needs.
    }
  }

  /** The rows the given transactions of this node's log changed, as table and key values. */
  List<RowRef> rowsOf(GtidSet gtids) {
    List<BinlogTx> txs;
    synchronized (log) {
      txs = new ArrayList<>(binlog);
    }
    Map<String, TableInfo> meta = tables;
    Set<RowRef> out = new LinkedHashSet<>();
    for (BinlogTx tx : txs) {
      if (!gtids.contains(tx.uuid(), tx.id())) {
        continue;
      }
      for (Object e : tx.events()) {
        if (e instanceof BinlogTx.RowEvent row) {
          TableInfo t = meta.get(row.table());
          Value[] image = row.after() != null ? row.after() : row.before();
          List<Object> key = new ArrayList<>();
          if (t != null) {
            for (int i : t.keyColumns()) {
              key.add(BinlogTx.javaValue(image[i]));
            }
          }
          out.add(new RowRef(tx.gtid(), row.table(), key));
        } else if (e instanceof BinlogTx.StatementEvent st) {
          out.add(new RowRef(tx.gtid(), "(statement) " + st.sql(), List.of()));
        }
      }
    }
    return List.copyOf(out);
  }

  // ---- capture and table metadata

  Map<String, TableInfo> tables() {
    return tables;
  }

  /**
   * Reads the tables' shape (columns, primary key) that the applier and lost-write reports need. Capture needs no
   * installing: every table of a replicated node is a {@link CaptureEngine} table.
   */
  void refreshTables(Connection c) throws SQLException {
    Map<String, TableInfo> found = TableInfo.load(c);
    List<Sequence> foundSequences = Identity.userSequences(c);
    if (!c.getAutoCommit()) {
      c.commit();
    }
    tables = found;
    sequences = foundSequences;
    sequencesLogged.keySet().removeIf(k -> foundSequences.stream().noneMatch(f -> f == k));
  }

  /** A new connection with a replication thread's privileges: no read-only check, no capture. */
  Connection privilegedConnection() throws SQLException {
    return DRIVER.connect(url + ";IFEXISTS=TRUE", new Properties());
  }

  /**
   * Every table's rows ordered by primary key (all columns when there is none), read directly, whether the node
   * runs or not.
   */
  Map<String, List<List<Object>>> content() throws SQLException {
    Map<String, List<List<Object>>> out = new LinkedHashMap<>();
    synchronized (keeper) {
      Map<String, TableInfo> meta = TableInfo.load(keeper);
      try (Statement s = keeper.createStatement()) {
        for (TableInfo t : meta.values()) {
          StringBuilder order = new StringBuilder();
          for (int i : t.keyColumns()) {
            order.append(order.length() == 0 ? "" : ", ").append(TableInfo.quote(t.columns().get(i)));
          }
          List<List<Object>> rows = new ArrayList<>();
          try (ResultSet rs = s.executeQuery(
              "SELECT * FROM " + t.sqlName() + " ORDER BY " + order)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              List<Object> row = new ArrayList<>(n);
              for (int i = 1; i <= n; i++) {
                row.add(rs.getObject(i));
              }
              rows.add(row);
            }
          }
          out.put(t.name(), rows);
        }
      }
    }
    return out;
  }

  boolean isAccepting() {
    return accepting;
  }

  NodeContext context() {
    return context;
  }

  /** The database as a client other than an application server reaches it (a test, a tool). */
  private final class NetworkDataSource extends DataSourceBase {
    @Override
    public Connection getConnection() throws SQLException {
      return openConnection("client");
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return openConnection("client");
    }

    @Override
    public String toString() {
      return "DataSource of " + name();
    }
  }
}

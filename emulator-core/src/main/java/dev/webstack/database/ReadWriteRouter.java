package dev.webstack.database;

import dev.webstack.internal.DataSourceBase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read/write-splitting data source of one client (an application server), in the role of ProxySQL or MySQL
 * Router 8.2+ with {@code access_mode=auto}, with Connector/J's {@code setReadOnly} rule:
 *
 * <ul>
 *   <li>autocommit {@code SELECT} (also {@code WITH}, {@code SHOW}...) without {@code FOR UPDATE/FOR SHARE} → a
 *       replica, round robin per statement over running replicas; a connection marked {@code setReadOnly(true)}
 *       sends every statement there, as Connector/J's replication driver does (a write then fails with 1290);
 *   <li>everything else (DML, DDL, locking reads, {@code BEGIN}) → the primary;
 *   <li>a transaction ({@code setAutoCommit(false)} or {@code BEGIN}) stays on one node until it ends: the primary,
 *       or a replica for a read-only connection or {@code START TRANSACTION READ ONLY};
 *   <li>replicas whose {@code Seconds_Behind_Source} exceeds {@code maxReplicationLag}, or is NULL, are shunned
 *       (ProxySQL's {@code SHUNNED_REPLICATION_LAG}, NULL counting as lagging); with no replica left reads go to the
 *       primary;
 *   <li>with causal reads on, a read goes to a replica that has executed every transaction this data source
 *       committed (MySQL Router's {@code wait_for_my_writes}; the token is this client's, so one application
 *       server reads its own writes across requests and connections), waiting up to the configured time of real
 *       time (none on a manual clock), then falls back to the primary.
 * </ul>
 *
 * The writer is whichever node accepts writes now: the router follows a failover at once (ProxySQL's monitor polls
 * {@code read_only} every 1.5 s; here the poll is instantaneous). With two writable nodes (split brain) writes
 * alternate between them, as a ProxySQL writer hostgroup with two writers does. When no node is writable, writes go
 * to the primary of record and fail there (08S01 while it is down, 1290 when it came back read-only).
 *
 * <p>Differences from the real routers: routing looks at each statement's text when it is prepared or executed;
 * statements are not parsed (a write hidden in a function call inside a SELECT goes to a replica and fails with
 * 1290 there).
 */
final class ReadWriteRouter extends DataSourceBase {

  private final ReplicationCluster cluster;
  private final String client;
  private final Duration maxLag;
  private final Duration causalWait;
  private final AtomicInteger readTurn = new AtomicInteger();
  private final AtomicInteger writeTurn = new AtomicInteger();
  private final GtidSet.Mutable written = new GtidSet.Mutable();

  ReadWriteRouter(ReplicationCluster cluster, String client, Duration maxLag, Duration causalWait) {
    this.cluster = cluster;
    this.client = client;
    this.maxLag = maxLag;
    this.causalWait = causalWait;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return (Connection) Proxy.newProxyInstance(ReadWriteRouter.class.getClassLoader(),
        new Class<?>[] {Connection.class, RoutedConnection.class}, new Routing());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  // ---- choosing nodes

  private H2Database writer() {
    List<H2Database> writers = cluster.writers();
    if (writers.isEmpty()) {
      return cluster.currentPrimary();
    }
    return writers.size() == 1 ? writers.get(0)
        : writers.get(Math.floorMod(writeTurn.getAndIncrement(), writers.size()));
  }

  private H2Database reader() throws SQLException {
    List<H2Database> usable = new ArrayList<>();
    for (H2Database r : cluster.readers()) {
      if (maxLag == null || withinLag(r)) {
        usable.add(r);
      }
    }
    if (usable.isEmpty()) {
      return writer();
    }
    if (causalWait == null) {
      return usable.get(Math.floorMod(readTurn.getAndIncrement(), usable.size()));
    }
    GtidSet mine;
    synchronized (written) {
      mine = written.snapshot();
    }
    long deadline = System.nanoTime() + (cluster.context().clock().isManual() ? 0 : causalWait.toNanos());
    int start = Math.floorMod(readTurn.getAndIncrement(), usable.size());
    while (true) {
      for (int i = 0; i < usable.size(); i++) {
        H2Database r = usable.get((start + i) % usable.size());
        if (r.hasExecutedAll(mine)) {
          return r;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return writer(); // wait_for_my_writes timed out: read the primary
      }
      try {
        cluster.awaitProgress(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for a replica to catch up", "70100", e);
      }
    }
  }

  private boolean withinLag(H2Database replica) {
    ReplicaChannel c = replica.channel();
    if (c == null) {
      return false;
    }
    var sbs = c.status().secondsBehindSource();
    return sbs.isPresent() && sbs.getAsLong() <= maxLag.toSeconds();
  }

  private void committed(H2Database node, BinlogTx tx) {
    synchronized (written) {
      written.add(tx.uuid(), tx.id());
    }
  }

  @Override
  public String toString() {
    return "read/write-splitting DataSource of " + client;
  }

  // ---- the client's connection

  /** One client connection: backend connections per node, opened on first use, a pinned one inside a transaction. */
  private final class Routing implements InvocationHandler, RoutedConnection {
    private final Map<H2Database, NodeConnection> backends = new LinkedHashMap<>();
    private final List<Statement> statements = new ArrayList<>();
    private boolean autoCommit = true;
    private boolean readOnly;
    private NodeConnection pinned;
    private String lastNode;
    private String lastGtid;
    private boolean closed;

    private NodeConnection open(H2Database node) throws SQLException {
      NodeConnection c = backends.get(node);
      if (c == null || c.isClosed()) {
        c = node.openConnection(client, (n, tx) -> {
          committed(n, tx);
          lastGtid = tx.gtid();
        });
        backends.put(node, c);
      }
      return c;
    }

    /** The backend for a statement of {@code kind}. */
    NodeConnection route(Sql.Kind kind) throws SQLException {
      if (closed) {
        throw new SQLNonTransientConnectionException("connection is closed", "08003");
      }
      if (pinned != null && !pinned.isClosed()) {
        lastNode = pinned.node().name();
        return pinned;
      }
      NodeConnection c;
      // Connector/J's replication driver: a read-only connection sends everything to a replica.
      boolean toReader = kind == Sql.Kind.READ || kind == Sql.Kind.BEGIN_READ_ONLY || readOnly;
      if (kind == Sql.Kind.BEGIN || kind == Sql.Kind.BEGIN_READ_ONLY || !autoCommit) {
        boolean readTx = kind == Sql.Kind.BEGIN_READ_ONLY || (readOnly && kind != Sql.Kind.BEGIN);
        c = open(readTx ? reader() : writer());
        if (!autoCommit) {
          c.setAutoCommit(false);
        }
        pinned = c;
      } else {
        c = open(toReader ? reader() : writer());
      }
      lastNode = c.node().name();
      return c;
    }

    void transactionEnded() {
      pinned = null;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (method.getDeclaringClass() == Object.class) {
        return switch (name) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "routed connection of " + client + (lastNode == null ? "" : " (last on " + lastNode + ")");
        };
      }
      if (method.getDeclaringClass() == RoutedConnection.class) {
        return method.invoke(this, args);
      }
      switch (name) {
        case "prepareStatement" -> {
          String sql = (String) args[0];
          NodeConnection c = route(Sql.classify(sql));
          return track(invokeOn(c, method, args));
        }
        case "createStatement" -> {
          return track(RoutingStatement.create(this, args));
        }
        case "prepareCall" -> {
          return track(invokeOn(route(Sql.Kind.WRITE), method, args));
        }
        case "setAutoCommit" -> {
          boolean value = (Boolean) args[0];
          if (value && pinned != null) {
            pinned.setAutoCommit(true); // commits
            pinned = null;
          }
          autoCommit = value;
          return null;
        }
        case "getAutoCommit" -> {
          return autoCommit;
        }
        case "commit", "rollback" -> {
          if (pinned != null) {
            invokeOn(pinned, method, args);
            if (args == null || args.length == 0) {
              pinned = null;
            }
          }
          return null;
        }
        case "setReadOnly" -> {
          readOnly = (Boolean) args[0];
          return null;
        }
        case "isReadOnly" -> {
          return readOnly;
        }
        case "close" -> {
          closeAll();
          return null;
        }
        case "isClosed" -> {
          return closed;
        }
        case "unwrap" -> {
          Class<?> iface = (Class<?>) args[0];
          if (iface.isInstance(proxy)) {
            return proxy;
          }
          return invokeOn(route(Sql.Kind.WRITE), method, args);
        }
        case "isWrapperFor" -> {
          return ((Class<?>) args[0]).isInstance(proxy) || (Boolean) invokeOn(route(Sql.Kind.WRITE), method, args);
        }
        default -> {
          // Savepoints, metadata, isolation and the rest: the connection the transaction uses, else the writer.
          return invokeOn(pinned != null ? pinned : route(Sql.Kind.WRITE), method, args);
        }
      }
    }

    private <T> T track(T statement) {
      if (statement instanceof Statement s) {
        statements.add(s);
      }
      return statement;
    }

    private void closeAll() throws SQLException {
      if (closed) {
        return;
      }
      closed = true;
      SQLException failure = null;
      for (NodeConnection c : backends.values()) {
        try {
          c.close();
        } catch (SQLException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      backends.clear();
      statements.clear();
      pinned = null;
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public Optional<String> lastNode() {
      return Optional.ofNullable(lastNode);
    }

    @Override
    public Optional<String> lastCommitGtid() {
      return Optional.ofNullable(lastGtid);
    }
  }

  static Object invokeOn(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * A statement created on a routed connection: it learns its SQL only when executed, so it picks its node then,
   * keeping one real statement per node; settings made before the first execution are replayed on each.
   */
  private static final class RoutingStatement implements InvocationHandler {
    private final Routing connection;
    private final Object[] createArgs;
    private final Map<NodeConnection, Statement> real = new LinkedHashMap<>();
    private final List<Object[]> settings = new ArrayList<>();
    private final List<String> batch = new ArrayList<>();
    private Statement current;
    private boolean closed;

    private RoutingStatement(Routing connection, Object[] createArgs) {
      this.connection = connection;
      this.createArgs = createArgs;
    }

    static Statement create(Routing connection, Object[] args) {
      return (Statement) Proxy.newProxyInstance(ReadWriteRouter.class.getClassLoader(),
          new Class<?>[] {Statement.class}, new RoutingStatement(connection, args));
    }

    private Statement on(NodeConnection c) throws Throwable {
      Statement s = real.get(c);
      if (s == null) {
        Class<?>[] types = new Class<?>[createArgs == null ? 0 : createArgs.length];
        java.util.Arrays.fill(types, int.class);
        s = (Statement) invokeOn(c, Connection.class.getMethod("createStatement", types), createArgs);
        for (Object[] setting : settings) {
          invokeOn(s, (Method) setting[0], (Object[]) setting[1]);
        }
        real.put(c, s);
      }
      return s;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (method.getDeclaringClass() == Object.class) {
        return switch (name) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "routed statement of " + connection;
        };
      }
      if (name.startsWith("execute") && args != null && args.length >= 1 && args[0] instanceof String sql) {
        Sql.Kind kind = Sql.classify(sql);
        NodeConnection c = connection.route(kind);
        current = on(c);
        Object result = invokeOn(current, method, args);
        if (kind == Sql.Kind.COMMIT || kind == Sql.Kind.ROLLBACK) {
          connection.transactionEnded();
        }
        return result;
      }
      switch (name) {
        case "addBatch" -> {
          batch.add((String) args[0]);
          return null;
        }
        case "clearBatch" -> {
          batch.clear();
          return null;
        }
        case "executeBatch", "executeLargeBatch" -> {
          current = on(connection.route(Sql.Kind.WRITE));
          for (String sql : batch) {
            current.addBatch(sql);
          }
          batch.clear();
          return invokeOn(current, method, args);
        }
        case "close" -> {
          closed = true;
          for (Statement s : real.values()) {
            s.close();
          }
          real.clear();
          return null;
        }
        case "isClosed" -> {
          return closed;
        }
        case "getConnection" -> {
          return current == null ? null : current.getConnection();
        }
        default -> {
          if (current == null && name.startsWith("set")) {
            settings.add(new Object[] {method, args});
            return null;
          }
          if (current == null) {
            current = on(connection.route(Sql.Kind.WRITE));
          }
          return invokeOn(current, method, args);
        }
      }
    }
  }
}
